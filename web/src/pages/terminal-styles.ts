/**
 * xterm.js's DOM renderer writes its per-terminal rules (cell size, colours) into <style>
 * elements, which the console's Content-Security-Policy (`style-src 'self'`) refuses. On the
 * terminal page (its own page load), `style` elements are created as hidden `div`s instead, and
 * their text is mirrored into constructable style sheets (CSSOM, which the policy allows): the
 * terminal looks right and the policy stays as strict as everywhere else.
 */
export function adoptInjectedStyles(container: HTMLElement): void {
  const create = document.createElement.bind(document);
  (document as { createElement: typeof document.createElement }).createElement = ((
    tag: string,
    options?: ElementCreationOptions,
  ) => {
    if (tag.toLowerCase() !== 'style') return create(tag, options);
    const proxy = create('div');
    proxy.hidden = true;
    proxy.className = 'xterm-style-proxy';
    return proxy;
  }) as typeof document.createElement;
  const sheets = new Map<Element, CSSStyleSheet>();
  const scan = () => {
    for (const el of container.querySelectorAll('.xterm-style-proxy')) {
      let sheet = sheets.get(el);
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheets.set(el, sheet);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }
      sheet.replaceSync(el.textContent ?? '');
    }
  };
  new MutationObserver(scan).observe(container, { childList: true, subtree: true, characterData: true });
}
