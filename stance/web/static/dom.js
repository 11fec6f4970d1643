// Building DOM nodes. Every string becomes a text node: data from the service
// is never parsed as HTML.

/**
 * Create an element. `attributes` are set with setAttribute (`hidden: true`
 * sets a boolean attribute; null/false values are skipped); `children` are
 * nodes or strings (strings become text nodes).
 */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return node;
}

