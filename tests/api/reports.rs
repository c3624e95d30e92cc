//! Reports: every figure against an independent count (part D).
