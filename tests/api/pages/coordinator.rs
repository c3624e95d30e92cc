//! Pages: coordinator area.
