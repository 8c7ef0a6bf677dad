// Is there a font for Chinese on this machine? Without one every Chinese label is a box (tofu).
// The page uses system fonts (Noto Sans CJK SC / WenQuanYi / PingFang / YaHei, see style.css); when
// none is present it says so and names the fix (Debian/Ubuntu: apt-get install fonts-noto-cjk).

import { FONT } from "./graph.js";

function glyphPixels(text) {
  const canvas = document.createElement("canvas");
  canvas.width = 40;
  canvas.height = 40;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.font = `28px ${FONT}`;
  ctx.textBaseline = "top";
  ctx.fillText(text, 4, 4);
  return ctx.getImageData(0, 0, 40, 40).data;
}

/** True when a Chinese character draws differently from a character no font has (the missing-glyph box). */
export function hasCjkFont() {
  try {
    const chinese = glyphPixels("中");
    const missing = glyphPixels("\u{10FFFD}");
    return chinese.some((value, index) => value !== missing[index]);
  } catch {
    return true; // no canvas: nothing to say
  }
}
