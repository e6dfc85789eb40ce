"""What the list's facets offer: a value is a link only when ticking it changes the list.

Several values of one facet are OR-ed (filters.py), so once a facet has a
selection every other value's count says what ticking it adds (shown +N); a
value that would add nothing is not listed at all (selectors leave out zero
counts), and one that every listed article already has (with nothing chosen in
its facet), or a place whose articles are exactly those of a chosen place above
or below it, is shown without a link. Runs on the FacetOptions after the view
gave them their URLs; no query.
"""

from __future__ import annotations

from articles.selectors import FacetOption, Facets


def settle_offers(facets: Facets, total: int, *, estimated: bool = False) -> None:
    """Mark what ticking each value adds and unlink values that cannot change a list of ``total`` articles."""
    for options in (facets.themes, facets.sources, facets.kinds, facets.years, facets.months):
        _flat(options, total, estimated)
    _tree(facets.regions, total, estimated)


def _flat(options: list[FacetOption], total: int, estimated: bool) -> None:
    options[:] = [option for option in options if option.count or option.selected]  # nothing behind it: not offered
    chosen = any(option.selected for option in options)
    for option in options:
        if option.selected:
            continue
        if chosen:
            option.adds = True
        elif not estimated and option.count >= total:
            option.url = ""  # every listed article has it already


def _tree(options: list[FacetOption], total: int, estimated: bool) -> None:
    selected: list[tuple[FacetOption, tuple[str, ...]]] = []

    def collect(nodes: list[FacetOption], path: tuple[str, ...]) -> None:
        for node in nodes:
            if node.selected:
                selected.append((node, path))
            collect(node.children, (*path, node.value))

    collect(options, ())

    def settle(nodes: list[FacetOption], path: tuple[str, ...]) -> None:
        for node in nodes:
            settle(node.children, (*path, node.value))
            if node.selected:
                continue
            related = [
                chosen
                for chosen, chosen_path in selected
                if chosen.value in path or node.value in chosen_path  # a chosen place above or below this one
            ]
            if related:
                if any(chosen.count == node.count for chosen in related):
                    node.url = ""  # the same articles as the chosen place: swapping them changes nothing
            elif selected:
                node.adds = True  # another branch: its articles join the list
            elif not estimated and node.count >= total:
                node.url = ""

    settle(options, ())
