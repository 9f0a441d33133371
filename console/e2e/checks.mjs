export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * Marks the page's window and counts its loads: the returned function fails if the page was reloaded or
 * navigated away since, so that what appeared meanwhile came over the live watch.
 */
export async function checkNoReload(page) {
  let loads = 0;
  const onLoad = () => { loads += 1; };
  page.on('load', onLoad);
  await page.evaluate(() => { window.__tetherConsoleMark = 'kept'; });
  return async () => {
    page.off('load', onLoad);
    check(loads === 0, `the page was loaded again ${loads} time(s)`);
    check(await page.evaluate(() => window.__tetherConsoleMark) === 'kept', 'the page was reloaded: its window state is gone');
  };
}
