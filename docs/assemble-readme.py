#!/usr/bin/env python3
"""Assemble README.md from docs/: the head, each capability's section, the tail.
Sections written with a top-level '#' heading are moved down one level.
Run from anywhere: python3 docs/assemble-readme.py"""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECTIONS = ['core', 'git', 'policy', 'rules', 'env', 'ci', 'limits']


def section(path):
    if not os.path.exists(path):
        return ''
    lines = open(path).read().splitlines()
    demote = bool(lines) and lines[0].startswith('# ')
    out, fence = [], False
    for line in lines:
        if line.startswith('```'):
            fence = not fence
        if not fence and demote and re.match(r'^#+ ', line):
            line = '#' + line
        out.append(line)
    return '\n'.join(out).strip() + '\n\n'


def main():
    docs = os.path.join(ROOT, 'docs')
    head = open(os.path.join(docs, 'readme-head.md')).read()
    tail = open(os.path.join(docs, 'readme-tail.md')).read()
    body = ''.join(section(os.path.join(docs, n + '.md')) for n in SECTIONS)
    with open(os.path.join(ROOT, 'README.md'), 'w') as f:
        f.write(head + body + tail)


if __name__ == '__main__':
    main()
