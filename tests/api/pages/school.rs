//! Pages: school area.
