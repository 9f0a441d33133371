import { render } from 'preact';
import { App } from './App.jsx';
import { takeTokenFromFragment } from './api.js';
import './style.css';

takeTokenFromFragment();
// A link with #token= followed from an open console changes only the fragment: no new load.
window.addEventListener('hashchange', takeTokenFromFragment);
render(<App />, document.getElementById('app'));
