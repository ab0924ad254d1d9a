#!/usr/bin/env python3
"""Draws the package icon (icon.png, 128x128): an event loop (a ring with an arrowhead)
around a check mark, on a rounded square. Pure Python, no imaging library:
anti-aliased by 4x4 supersampling of signed distances."""
import math
import struct
import zlib

SIZE = 128
BACKGROUND = (31, 58, 95)
FOREGROUND = (255, 255, 255)
ACCENT = (94, 201, 140)


def rounded_square(x, y):
    half, radius = SIZE / 2 - 2, 22
    qx, qy = abs(x - SIZE / 2) - (half - radius), abs(y - SIZE / 2) - (half - radius)
    outside = math.hypot(max(qx, 0), max(qy, 0))
    return outside + min(max(qx, qy), 0) - radius


def ring(x, y):
    cx = cy = SIZE / 2
    distance = abs(math.hypot(x - cx, y - cy) - 40) - 7
    angle = math.degrees(math.atan2(cy - y, x - cx)) % 360
    if 35 < angle < 75:  # the gap where the loop comes round again
        return max(distance, 1.0)
    return distance


def arrowhead(x, y):
    # a triangle at the end of the ring, pointing round the loop
    cx = cy = SIZE / 2
    a = math.radians(35)
    tip = (cx + 40 * math.cos(a - 0.45), cy - 40 * math.sin(a - 0.45))
    base = (cx + 40 * math.cos(a), cy - 40 * math.sin(a))
    nx, ny = math.cos(a), -math.sin(a)
    p1 = (base[0] + nx * 15, base[1] + ny * 15)
    p2 = (base[0] - nx * 15, base[1] - ny * 15)
    return triangle(x, y, tip, p1, p2)


def triangle(x, y, a, b, c):
    def edge(p, q):
        return (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])
    signs = [edge(a, b), edge(b, c), edge(c, a)]
    inside = all(s >= 0 for s in signs) or all(s <= 0 for s in signs)
    return -1.0 if inside else 1.0


def segment(x, y, a, b, width):
    ax, ay = a
    bx, by = b
    t = max(0.0, min(1.0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)))
    return math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) - width


def check(x, y):
    return min(segment(x, y, (46, 66), (59, 79), 6.5), segment(x, y, (59, 79), (84, 50), 6.5))


def pixel(x, y):
    samples = []
    for sy in range(4):
        for sx in range(4):
            px, py = x + (sx + 0.5) / 4, y + (sy + 0.5) / 4
            if rounded_square(px, py) > 0:
                samples.append(None)
            elif check(px, py) < 0:
                samples.append(ACCENT)
            elif ring(px, py) < 0 or arrowhead(px, py) < 0:
                samples.append(FOREGROUND)
            else:
                samples.append(BACKGROUND)
    covered = [s for s in samples if s is not None]
    if not covered:
        return (0, 0, 0, 0)
    rgb = [round(sum(c[i] for c in covered) / len(covered)) for i in range(3)]
    return (*rgb, round(255 * len(covered) / len(samples)))


def main():
    rows = b"".join(b"\x00" + b"".join(struct.pack("4B", *pixel(x, y)) for x in range(SIZE)) for y in range(SIZE))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    with open("icon.png", "wb") as f:
        f.write(png)


if __name__ == "__main__":
    main()
