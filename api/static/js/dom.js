// Small DOM helpers. Every string goes in through textContent, never innerHTML, so titles and
// quotes from documents cannot inject markup.

export const $ = (id) => document.getElementById(id);

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// Cytoscape wraps labels only at spaces, which Chinese titles do not have: break them here, by
// estimated width (a Latin letter or digit is about half a CJK character), never inside a run of
// Latin letters and digits such as "2021-2035", and never before closing punctuation.
const LATIN_RUN = /[\u0020-\u007e]+|./gu;
const CLOSING = /^[)）”」』》，。、；：！？]+$/u;

function textWidth(token) {
  return Array.from(token).reduce((w, ch) => w + (ch.charCodeAt(0) < 0x2e80 ? 0.55 : 1), 0);
}

export function wrapLabel(text, perLine, maxLines) {
  const lines = [];
  let line = "";
  for (const token of (text || "").match(LATIN_RUN) || []) {
    const fits = textWidth(line + token) <= perLine;
    if (fits || !line || CLOSING.test(token)) line += token;
    else {
      lines.push(line);
      line = token;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines.join("\n");
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${Array.from(kept[maxLines - 1])
    .slice(0, -1)
    .join("")}…`;
  return kept.join("\n");
}

export function short(text, max) {
  const chars = Array.from(text || "");
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

export function debounce(fn, ms) {
  let timer;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}
