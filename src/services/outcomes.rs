//! Graduates' destinations (毕业去向): their school and coordinators record and read them.
