package io.faultline.results.counterexample;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads a rendered page back as XML, which the page promises to be. */
final class Xml {
  private Xml() {}

  static Document parse(String page) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError("page is not well-formed: " + e.getMessage(), e);
    }
  }

  /** Elements with the given local name (any namespace) whose class list contains every given class. */
  static List<Element> find(org.w3c.dom.Node root, String tag, String... classes) {
    NodeList all = root instanceof Document d ? d.getElementsByTagNameNS("*", tag)
        : ((Element) root).getElementsByTagNameNS("*", tag);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      List<String> have = Arrays.asList(e.getAttribute("class").split("\\s+"));
      if (have.containsAll(Arrays.asList(classes))) out.add(e);
    }
    return out;
  }

  static Element byId(Document doc, String id) {
    for (Element e : find(doc, "*")) if (id.equals(e.getAttribute("id"))) return e;
    return null;
  }
}
