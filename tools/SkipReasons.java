import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Why tests were skipped, from the Surefire XML reports named as arguments: one line per reason with the
 * number of tests it skipped, as {@code sort | uniq -c} prints them. {@code ./tether test} ends with it
 * (report_skipped; run as {@code java tools/SkipReasons.java FILE...}, the JDK's source launcher, so it
 * needs no build). Surefire writes a skip's reason in either of two places, and both count: the
 * {@code message} attribute ({@code <skipped message="why"/>}), or the element's text, where a JUnit 5
 * {@code Assumptions.abort} puts its exception's stack trace: {@code <skipped type="...TestAbortedException">
 * ...TestAbortedException: why} and the frames. The XML is parsed, not grepped, so escapes and CDATA
 * read as what they mean.
 */
public final class SkipReasons {
  private SkipReasons() {}

  public static void main(String[] args) throws ParserConfigurationException {
    DocumentBuilder parser = parser();
    Map<String, Integer> counts = new TreeMap<>();
    for (String file : args) {
      try {
        NodeList skips = parser.parse(new File(file)).getElementsByTagName("skipped");
        for (int i = 0; i < skips.getLength(); i++) {
          counts.merge(reason((Element) skips.item(i)), 1, Integer::sum);
        }
      } catch (SAXException | IOException e) {
        // A report cut short (a killed fork) must not hide the others' skips.
        System.err.println("tether: cannot read the test report " + file + ": " + e.getMessage());
      }
    }
    counts.forEach((reason, n) -> System.out.printf("%7d %s%n", n, reason));
  }

  /** The reason of one skip: its message, else the first line of its text less the exception's type. */
  static String reason(Element skipped) {
    String message = skipped.getAttribute("message").replaceAll("\\s+", " ").strip();
    if (!message.isEmpty()) {
      return message;
    }
    String text = skipped.getTextContent().strip().lines().findFirst().orElse("").strip();
    String type = skipped.getAttribute("type");
    if (!type.isEmpty() && text.startsWith(type + ":")) {
      text = text.substring(type.length() + 1).strip();
    }
    return text.isEmpty() ? "(no reason given)" : text;
  }

  /** Surefire's reports have no DTD; refusing one keeps a stray report from fetching anything. */
  private static DocumentBuilder parser() throws ParserConfigurationException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    DocumentBuilder parser = factory.newDocumentBuilder();
    parser.setErrorHandler(new DefaultHandler()); // throws on a fatal error, prints nothing
    return parser;
  }
}
