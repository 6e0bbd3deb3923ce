#!/usr/bin/env python3
"""Generate the Hearth app icons (SVG + PNGs) using only the standard library.

The mark: a cream, rounded house (with a chimney) holding a terracotta heart,
on a terracotta background. The geometry below is the single source of truth:
it is written into icon.svg and rasterised into the PNGs, so both match.

All geometry lives in a 512 x 512 design space. Rasterisation evaluates exact
signed distances; pixels well inside or outside a shape are filled directly
and only edge pixels are 4x4 supersampled for anti-aliasing.

Usage:  python3 tools/make_icons.py        (writes public/icons/)
"""
import math
import os
import struct
import zlib

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "public", "icons")

BG = (0xB4, 0x53, 0x2A)      # warm terracotta accent
FG = (0xFF, 0xF8, 0xF0)      # cream

# ---- geometry (512 design space) -------------------------------------------
BG_RADIUS = 112                                    # rounded-square corner radius
HOUSE = [(256, 120), (392, 232), (392, 392), (120, 392), (120, 232)]
HOUSE_ROUND = 28                                   # house = polygon grown by 28 (round joins)
CHIMNEY = (316, 104, 48, 100, 12)                  # x, y, w, h, rx
HEART_C = (256, 300)                               # heart: diamond + two circles
HEART_D = 60                                       # half-diagonal of the diamond
SS = 4                                             # supersampling per axis


def heart_parts():
    cx, cy = HEART_C
    d = HEART_D
    diamond = [(cx, cy - d), (cx + d, cy), (cx, cy + d), (cx - d, cy)]
    r = d * math.sqrt(2) / 2
    circles = [(cx - d / 2, cy - d / 2, r), (cx + d / 2, cy - d / 2, r)]
    return diamond, circles


# ---- signed distance functions (negative inside) ---------------------------
def sd_polygon(px, py, poly):
    n = len(poly)
    best = float("inf")
    inside = False
    j = n - 1
    for i in range(n):
        xi, yi = poly[i]
        xj, yj = poly[j]
        ex, ey = xj - xi, yj - yi
        wx, wy = px - xi, py - yi
        t = (wx * ex + wy * ey) / (ex * ex + ey * ey)
        t = 0.0 if t < 0 else 1.0 if t > 1 else t
        dx, dy = wx - ex * t, wy - ey * t
        dd = dx * dx + dy * dy
        if dd < best:
            best = dd
        if (yi > py) != (yj > py) and px < (xj - xi) * (py - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    d = math.sqrt(best)
    return -d if inside else d


def sd_round_rect(px, py, x, y, w, h, r):
    hx, hy = w / 2 - r, h / 2 - r
    qx = abs(px - (x + w / 2)) - hx
    qy = abs(py - (y + h / 2)) - hy
    out = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return out + min(max(qx, qy), 0.0) - r


def sd_circle(px, py, cx, cy, r):
    return math.hypot(px - cx, py - cy) - r


def sd_house(px, py):
    return min(sd_polygon(px, py, HOUSE) - HOUSE_ROUND, sd_round_rect(px, py, *CHIMNEY))


def sd_heart(px, py):
    diamond, circles = heart_parts()
    d = sd_polygon(px, py, diamond)
    for cx, cy, r in circles:
        d = min(d, sd_circle(px, py, cx, cy, r))
    return d


def mark_radius():
    """Distance from the centre (256,256) to the farthest point of the mark."""
    far = 0.0
    for x, y in HOUSE:
        far = max(far, math.hypot(x - 256, y - 256) + HOUSE_ROUND)
    x, y, w, h, r = CHIMNEY
    for cx in (x + r, x + w - r):
        for cy in (y + r, y + h - r):
            far = max(far, math.hypot(cx - 256, cy - 256) + r)
    return far


# ---- rasteriser ------------------------------------------------------------
def render(size, full_bleed, mark_scale):
    """Return RGBA rows. The mark is scaled by mark_scale about the centre."""
    px_per_unit = size / 512.0 * mark_scale      # mark units -> pixels
    bg_px = size / 512.0                          # background units -> pixels
    half = 0.75                                   # |distance| in px beyond which a pixel is solid
    offs = [(i + 0.5) / SS - 0.5 for i in range(SS)]
    nsub = SS * SS

    def to_mark(x, y):      # pixel coords -> mark design coords
        return 256 + (x - size / 2) / px_per_unit, 256 + (y - size / 2) / px_per_unit

    def coverage(sdf, x, y, scale):
        mx, my = (x, y) if scale is None else to_mark(x, y)
        unit = bg_px if scale is None else px_per_unit
        d = sdf(mx, my) * unit
        if d <= -half:
            return 1.0
        if d >= half:
            return 0.0
        hits = 0
        for oy in offs:
            for ox in offs:
                sx, sy = x + ox, y + oy
                if scale is None:
                    if sdf(sx, sy) <= 0:
                        hits += 1
                else:
                    qx, qy = to_mark(sx, sy)
                    if sdf(qx, qy) <= 0:
                        hits += 1
        return hits / nsub

    def bg_sdf(ux, uy):      # background in 512 units (pixel /bg_px)
        return sd_round_rect(ux, uy, 0, 0, 512, 512, BG_RADIUS)

    rows = []
    for j in range(size):
        row = bytearray()
        for i in range(size):
            cx, cy = i + 0.5, j + 0.5
            if full_bleed:
                a_bg = 1.0
            else:
                ux, uy = cx / bg_px, cy / bg_px
                d = bg_sdf(ux, uy) * bg_px
                if d <= -half:
                    a_bg = 1.0
                elif d >= half:
                    a_bg = 0.0
                else:
                    hits = 0
                    for oy in offs:
                        for ox in offs:
                            if bg_sdf((cx + ox) / bg_px, (cy + oy) / bg_px) <= 0:
                                hits += 1
                    a_bg = hits / nsub
            # the mark always sits on an opaque part of the background
            a_house = coverage(sd_house, cx, cy, True) if a_bg > 0 else 0.0
            a_heart = coverage(sd_heart, cx, cy, True) if a_house > 0 else 0.0
            # colour over opaque background: bg -> house(cream) -> heart(bg)
            col = []
            for k in range(3):
                c = BG[k]
                c = c + (FG[k] - c) * a_house
                c = c + (BG[k] - c) * a_heart
                col.append(c)
            row += bytes((int(round(col[0])), int(round(col[1])), int(round(col[2])),
                          int(round(a_bg * 255))))
        rows.append(bytes(row))
    return rows


# ---- PNG writer ------------------------------------------------------------
def _filter_rows(rows, bpp=4):
    out = bytearray()
    prev = bytes(len(rows[0]))
    for row in rows:
        n = len(row)
        cands = []
        cands.append((0, row))
        sub = bytes((row[i] - (row[i - bpp] if i >= bpp else 0)) & 0xFF for i in range(n))
        cands.append((1, sub))
        up = bytes((row[i] - prev[i]) & 0xFF for i in range(n))
        cands.append((2, up))
        # minimum-sum-of-absolute-differences heuristic
        best = min(cands, key=lambda c: sum(b if b < 128 else 256 - b for b in c[1]))
        out.append(best[0])
        out += best[1]
        prev = row
    return bytes(out)


def write_png(path, rows):
    h = len(rows)
    w = len(rows[0]) // 4

    def chunk(tag, data):
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(_filter_rows(rows), 9))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


# ---- SVG -------------------------------------------------------------------
def svg_text():
    def n(v):
        return ("%.2f" % v).rstrip("0").rstrip(".")

    bg = "#%02X%02X%02X" % BG
    fg = "#%02X%02X%02X" % FG
    house = " ".join("%s %s" % (n(x), n(y)) for x, y in HOUSE)
    x, y, w, h, r = CHIMNEY
    cx, cy = HEART_C
    d = HEART_D
    ar = n(d * math.sqrt(2) / 2)
    heart = ("M%s %sL%s %sA%s %s 0 0 1 %s %sA%s %s 0 0 1 %s %sZ" % (
        n(cx), n(cy + d), n(cx - d), n(cy), ar, ar, n(cx), n(cy - d),
        ar, ar, n(cx + d), n(cy)))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        '<rect width="512" height="512" rx="%d" fill="%s"/>'
        '<g fill="%s">'
        '<rect x="%s" y="%s" width="%s" height="%s" rx="%s"/>'
        '<polygon points="%s" stroke="%s" stroke-width="%s" stroke-linejoin="round"/>'
        '</g>'
        '<path d="%s" fill="%s"/>'
        '</svg>\n' % (BG_RADIUS, bg, fg, n(x), n(y), n(w), n(h), n(r),
                      house, fg, n(2 * HOUSE_ROUND), heart, bg))


# ---- main ------------------------------------------------------------------
def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(os.path.join(OUT_DIR, "icon.svg"), "w") as f:
        f.write(svg_text())

    far = mark_radius()
    # maskable: keep the whole mark within a circle of diameter 0.6 * size
    mask_scale = (0.30 * 512) / far
    # apple-touch: iOS only rounds corners slightly, so the mark can be larger
    apple_scale = 0.80
    assert far * mask_scale <= 0.4 * 512   # within the mandatory safe zone

    jobs = [
        ("icon-192.png", 192, False, 1.0),
        ("icon-512.png", 512, False, 1.0),
        ("maskable-192.png", 192, True, mask_scale),
        ("maskable-512.png", 512, True, mask_scale),
        ("apple-touch-icon.png", 180, True, apple_scale),
    ]
    for name, size, full, scale in jobs:
        path = os.path.join(OUT_DIR, name)
        write_png(path, render(size, full, scale))
        print("%-22s %4dx%-4d %6d bytes" % (name, size, size, os.path.getsize(path)))
    print("mark radius %.1f/256, maskable scale %.3f (radius %.1f%% of size)"
          % (far, mask_scale, 100 * far * mask_scale / 512))


if __name__ == "__main__":
    main()
