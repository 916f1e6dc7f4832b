"""The lxml reference for XML feeds: iterparse over <item>s, a dict of each item's children,
memory released as it goes (the usual streaming idiom). Usage: python3 iterparse.py FEED.xml"""
import sys
from lxml import etree

count = 0
for _, item in etree.iterparse(sys.argv[1], tag="item", events=("end",), resolve_entities=False, no_network=True):
    fields = {child.tag: child.text for child in item}
    count += 1
    item.clear()
    while item.getprevious() is not None:
        del item.getparent()[0]
print(count)
