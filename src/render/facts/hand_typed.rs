//! Hand-typed term facts in prose (filled in below).
