//! Demo data drawn from the Zhaoqing New District story (shared/context).
use crate::store::Db;

pub async fn load_once(_db: &Db) -> anyhow::Result<()> {
    todo!()
}
pub fn print_logins() {}
pub async fn add_synthetic(_db: &Db, _p: usize, _g: usize, _seed: u64) -> anyhow::Result<(usize, usize)> {
    todo!()
}
