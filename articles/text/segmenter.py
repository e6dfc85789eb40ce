"""jieba's segmentation, word for word, in less time.

jieba cuts a run of Han characters and ASCII word characters (a block) by
building the graph of every dictionary word in it (get_DAG) and then the most
probable path through it (calc). Segmenter does the same arithmetic in one
tighter backward pass (log-probabilities computed once per word, no DAG dict,
no generator per character), so a block's route is the same, float for float.

The route of a block depends only on the dictionary, not on HMM or on the
pass, so it is kept for a while: an article's body is cut for keywords, then
for the search index, and the second cut finds its blocks' routes ready. The
HMM step for unknown runs (finalseg) is kept per run the same way.

tests/text/test_segmenter.py checks that cut, lcut and cut_for_search give
exactly jieba's words on real and generated text, in both HMM modes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from math import log

import jieba
from jieba import finalseg, re_eng, re_han_default, re_skip_default, strdecode

# Routes kept per segmenter (blocks are short: a clause between punctuation);
# the store is dropped whole when it holds this many characters of blocks:
# far more than a page's worth, whose keyword and search passes share them.
_ROUTE_CACHE_CHARS = 300_000
_HMM_CACHE_CHARS = 200_000
# Word log-probabilities kept (a few MB); dropped whole beyond this many words.
_LOGP_CACHE_WORDS = 100_000


class Segmenter(jieba.Tokenizer):
    """A jieba.Tokenizer whose cut() yields jieba's exact words, faster (cut_all and paddle fall back to jieba)."""

    def __init__(self, base: jieba.Tokenizer | None = None) -> None:
        super().__init__()
        # With a base, the dictionary is the base's (shared, never copied) and follows it.
        self._base = base
        self._valid_for: tuple[int, int | float] | None = None
        self._forget()

    def _forget(self) -> None:
        self._routes: dict[str, list[int]] = {}
        self._route_chars = 0
        self._logp: dict[str, float] = {}
        self._logtotal = 0.0
        self._valid_for = None

    def _check(self) -> None:
        # Adopt the base's dictionary, and drop what was computed from another one.
        base = self._base
        if base is not None:
            base.check_initialized()
            if self.FREQ is not base.FREQ or self.total != base.total:
                self.FREQ, self.total, self.initialized = base.FREQ, base.total, True
        else:
            self.check_initialized()
        if self._valid_for != (id(self.FREQ), self.total):
            self._forget()
            self._valid_for = (id(self.FREQ), self.total)
            self._logtotal = log(self.total)

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """jieba's add_word; what was computed from the old dictionary is dropped."""
        super().add_word(word, freq, tag)
        self._valid_for = None

    def route(self, block: str) -> list[int]:
        """For each position of a block, the end (inclusive) of the word jieba's route starts there."""
        ends = self._routes.get(block)
        if ends is None:
            ends = self._route(block)
            if self._route_chars > _ROUTE_CACHE_CHARS:
                self._routes, self._route_chars = {}, 0
            self._routes[block] = ends
            self._route_chars += len(block)
        return ends

    def _route(self, sentence: str) -> list[int]:
        # jieba's get_DAG + calc in one backward pass. For each start, the
        # candidates are the dictionary words beginning there (prefixes are in
        # FREQ with frequency 0), scored log(freq) - log(total) + the score of
        # the rest; the best wins, a tie going to the longer word (jieba takes
        # the max of (score, end) tuples). No word: the character alone.
        get = self.FREQ.get
        if len(self._logp) > _LOGP_CACHE_WORDS:
            self._logp = {}
        logp = self._logp
        logp_get = logp.get
        logtotal = self._logtotal
        size = len(sentence)
        score = [0.0] * (size + 1)
        ends = [0] * size
        for start in range(size - 1, -1, -1):
            best = None
            end = start
            i = start
            frag = sentence[start]
            while True:
                freq = get(frag)
                if freq is None:
                    break
                if freq:
                    weight = logp_get(frag)
                    if weight is None:
                        weight = logp[frag] = log(freq) - logtotal
                    candidate = weight + score[i + 1]
                    if best is None or candidate >= best:
                        best, end = candidate, i
                i += 1
                if i >= size:
                    break
                frag = sentence[start : i + 1]
            if best is None:
                # jieba scores a character it does not know as frequency 1.
                best = (log(get(sentence[start]) or 1) - logtotal) + score[start + 1]
            score[start] = best
            ends[start] = end
        return ends

    def _cut_block(self, block: str) -> Iterator[str]:
        # jieba's __cut_DAG_NO_HMM: single ASCII characters in a row stay together.
        ends = self.route(block)
        x, size, buf = 0, len(block), ""
        while x < size:
            y = ends[x] + 1
            word = block[x:y]
            if y - x == 1 and re_eng.match(word):
                buf += word
            else:
                if buf:
                    yield buf
                    buf = ""
                yield word
            x = y
        if buf:
            yield buf

    def _cut_block_hmm(self, block: str) -> Iterator[str]:
        # jieba's __cut_DAG: runs of single characters go to the HMM unless they form a known word.
        ends = self.route(block)
        x, size, buf = 0, len(block), ""
        get = self.FREQ.get
        while x < size:
            y = ends[x] + 1
            word = block[x:y]
            if y - x == 1:
                buf += word
            else:
                if buf:
                    if len(buf) == 1:
                        yield buf
                    elif not get(buf):
                        yield from _hmm_cut(buf)
                    else:
                        yield from buf
                    buf = ""
                yield word
            x = y
        if buf:
            if len(buf) == 1:
                yield buf
            elif not get(buf):
                yield from _hmm_cut(buf)
            else:
                yield from buf

    def cut(self, sentence, cut_all: bool = False, HMM: bool = True, use_paddle: bool = False) -> Iterator[str]:  # noqa: N803 (jieba's name)
        """jieba's accurate mode, same words; cut_all and use_paddle go to jieba itself."""
        if cut_all or use_paddle:
            yield from super().cut(sentence, cut_all=cut_all, HMM=HMM, use_paddle=use_paddle)
            return
        self._check()
        cut_block = self._cut_block_hmm if HMM else self._cut_block
        for blk in re_han_default.split(strdecode(sentence)):
            if not blk:
                continue
            if re_han_default.match(blk):
                yield from cut_block(blk)
            else:
                for x in re_skip_default.split(blk):
                    if re_skip_default.match(x):
                        yield x
                    else:
                        yield from x


_hmm_lock = threading.Lock()
_hmm_cache: dict[str, list[str]] = {}
_hmm_state = {"chars": 0, "forced": -1}


def _hmm_cut(run: str) -> list[str]:
    """finalseg.cut(run) as a list, kept (it depends only on the run and on jieba's forced splits)."""
    forced = len(finalseg.Force_Split_Words)
    words = _hmm_cache.get(run) if _hmm_state["forced"] == forced else None
    if words is None:
        words = list(finalseg.cut(run))
        with _hmm_lock:
            if _hmm_state["forced"] != forced or _hmm_state["chars"] > _HMM_CACHE_CHARS:
                _hmm_cache.clear()
                _hmm_state.update(chars=0, forced=forced)
            _hmm_cache[run] = words
            _hmm_state["chars"] += len(run)
    return words


def forget_hmm_cuts() -> None:
    """Drop the remembered HMM cuts (a benchmark measuring text it has seen before must not reuse them)."""
    with _hmm_lock:
        _hmm_cache.clear()
        _hmm_state.update(chars=0, forced=-1)


_default: Segmenter | None = None
_default_lock = threading.Lock()


def default_segmenter() -> Segmenter:
    """The segmenter over jieba's default dictionary (jieba.dt's, shared: loaded once per process)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Segmenter(jieba.dt)
    return _default
