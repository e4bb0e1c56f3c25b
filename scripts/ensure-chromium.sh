#!/usr/bin/env bash
# Makes sure Debian's chromium is installed at /usr/bin/chromium for the end-to-end test and the
# screenshots (playwright-core drives it; never `npx playwright install`), with a colour emoji
# font (fonts-noto-color-emoji) so the cards' signs (⛔ ⚠ ℹ ✓) render instead of empty boxes.
# Installs what is missing with apt-get, through sudo when not root; fails with a clear message
# when that is impossible.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

PACKAGES=(chromium fonts-liberation fonts-noto-color-emoji)
EMOJI_FONT=/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf

if [ -x "$CHROMIUM" ] && { [ -n "${CHROMIUM_PATH:-}" ] || [ -f "$EMOJI_FONT" ]; }; then
  echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM or the emoji font is missing and apt-get is not available on this system." >&2
  echo "Install Chromium yourself and set CHROMIUM_PATH to its executable." >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "ensure-chromium: $CHROMIUM or the emoji font is missing, and installing it needs root:" >&2
  echo "not running as root and passwordless sudo is not available." >&2
  echo "Run: sudo apt-get install -y ${PACKAGES[*]}   (or set CHROMIUM_PATH)" >&2
  exit 1
fi

echo "ensure-chromium: installing ${PACKAGES[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get install -y --no-install-recommends "${PACKAGES[@]}"; then
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" apt-get install -y --no-install-recommends "${PACKAGES[@]}"
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing." >&2
  exit 1
fi
echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
