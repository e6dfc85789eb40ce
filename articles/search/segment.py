"""The one segmenter both documents and queries go through.

Kept in one place so the two sides can never drift apart: whatever
articles.text.chinese.segment_for_search does (NFKC, OpenCC t2s, jieba search
mode without HMM, lowercase, punctuation dropped, tokens joined by single
spaces), the index and the query parser do the same.
"""

from __future__ import annotations

from articles.text.chinese import segment_for_search


def segment(text: str) -> str:
    """Simplified search-mode tokens separated by single spaces ('' for no text)."""
    if not text or not text.strip():
        return ""
    return segment_for_search(text)
