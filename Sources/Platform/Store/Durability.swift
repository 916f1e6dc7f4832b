/// How hard a committed write is kept (README, "Where the data lives").
///
/// SQLite's `synchronous` setting is per connection, and mkt has one writer connection, so each
/// write transaction picks its level. `full` fsyncs the WAL at every commit: the commit survives a
/// power cut. `normal` survives a crash of mkt or the OS's processes, but the last commits may be
/// lost on power loss; it is for data that can be imported again from its source.
public enum Durability: Sendable {
  /// Merchants, stock, reservations, orders, settings: a confirmed write survives power loss.
  case full
  /// Catalog bulk imports, search indexes, events: re-importable; checkpointed after bulk runs.
  case normal
}
