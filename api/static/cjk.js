// A font for Chinese. The page prefers the system's CJK font (Noto Sans CJK SC / WenQuanYi / PingFang / YaHei,
// see style.css and graph.js's FONT); where there is none it uses the vendored web font Noto Sans SC
// (@fontsource/noto-sans-sc from npm, OFL-1.1, built into /vendor by tools/build-assets: ~100 subset
// slices, each fetched from this server only when a character in it is drawn). Without either every Chinese
// label would be a box (tofu): then the page says so and names the fix.

import { FONT } from "./graph.js";

export const WEB_FONT = "Noto Sans SC";
const SYSTEM_FONTS = FONT.replace(`"${WEB_FONT}", `, "");
const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/gu;

/** Which font draws Chinese: "system", "web" (the vendored Noto Sans SC) or null (none: boxes). */
export const cjkFont = { source: null };

function glyphPixels(text, font) {
  const canvas = document.createElement("canvas");
  canvas.width = 40;
  canvas.height = 40;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.font = `28px ${font}`;
  ctx.textBaseline = "top";
  ctx.fillText(text, 4, 4);
  return ctx.getImageData(0, 0, 40, 40).data;
}

/** True when a Chinese character draws differently from a character no font has (the missing-glyph box). */
export function hasCjkFont(font = FONT) {
  try {
    const chinese = glyphPixels("中", font);
    const missing = glyphPixels("\u{10FFFD}", font);
    return chinese.some((value, index) => value !== missing[index]);
  } catch {
    return true; // no canvas: nothing to say
  }
}

/** Find the font for Chinese at start: the system's, else the vendored web font (loaded now); null when neither. */
export async function ensureCjkFont() {
  if (hasCjkFont(SYSTEM_FONTS)) {
    cjkFont.source = "system";
  } else {
    try {
      await document.fonts.load(`16px "${WEB_FONT}"`, "中文");
    } catch {
      // the font's CSS or files are missing: the check below says so
    }
    cjkFont.source = document.fonts.check(`16px "${WEB_FONT}"`, "中文") && hasCjkFont(`"${WEB_FONT}"`) ? "web" : null;
  }
  document.documentElement.dataset.cjkFont = cjkFont.source ?? "none";
  return cjkFont.source;
}

/**
 * With the web font, load the slices that the Chinese characters of `text` need before the graph measures
 * and draws its labels on canvas (a canvas does not wait for a web font as the page's text does).
 */
export async function loadGlyphs(text) {
  if (cjkFont.source !== "web") return;
  const chars = [...new Set(String(text).match(CJK) ?? [])].join("");
  if (!chars) return;
  try {
    await document.fonts.load(`12px "${WEB_FONT}"`, chars);
  } catch {
    // drawn with what is there
  }
}
