//! Stable sorting with one copy of the sort in the whole program.
//!
//! The standard library's `sort_by_key` is copied out for every key closure it
//! is called with (about 3 KB of wasm each, 33 copies in the app). These
//! functions sort positions (plain `usize`) with a comparison passed as a
//! trait object, so the sort itself is compiled once; only the small step that
//! puts the items in that order is copied per item type. Same results as the
//! standard library's stable sorts: equal keys keep their order.

use std::cmp::Ordering;

/// The positions `0..len` in stable sorted order under `cmp`. Not generic:
/// this is the one sort the program holds.
fn stable_order(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Rearranges `items` so that position `k` holds what was at `order[k]`.
fn rearrange<T>(items: &mut Vec<T>, order: &[usize]) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().filter_map(|&from| slots[from].take()));
}

/// Sorts by a key, each item's key worked out once (as the standard library's
/// `sort_by_cached_key`); stable.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl FnMut(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = stable_order(keys.len(), &mut |a, b| keys[a].cmp(&keys[b]));
    rearrange(items, &order);
}

/// Sorts by a comparison; stable.
pub fn sort_by<T>(items: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = stable_order(items.len(), &mut |a, b| cmp(&items[a], &items[b]));
    rearrange(items, &order);
}

/// Sorts in the items' own order; stable.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_order_as_the_standard_stable_sort(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..60)) {
            let mut expected = items.clone();
            expected.sort_by_key(|p| p.0);
            let mut by_key = items.clone();
            sort_by_key(&mut by_key, |p| p.0);
            prop_assert_eq!(&by_key, &expected);
            let mut by = items.clone();
            sort_by(&mut by, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(&by, &expected);
            let mut whole = items.clone();
            sort(&mut whole);
            let mut std_whole = items;
            std_whole.sort();
            prop_assert_eq!(whole, std_whole);
        }
    }

    #[test]
    fn equal_keys_keep_their_order_and_reverse_keys_sort_newest_first() {
        let mut words = vec!["pear", "fig", "apple", "kiwi", "plum"];
        sort_by_key(&mut words, |w| w.len());
        assert_eq!(words, ["fig", "pear", "kiwi", "plum", "apple"]);
        sort_by_key(&mut words, |w| std::cmp::Reverse(w.len()));
        assert_eq!(words, ["apple", "pear", "kiwi", "plum", "fig"]);
    }
}
