//! Offers and destinations (part A).
