import GRDB

extension Store {
  /// Migration 0025: the change journal also records pricing rules and product translations,
  /// so `mkt push --what rules,translations` sends them (issue 19).
  ///
  /// The journal's kinds are a CHECK constraint, so the table is rebuilt (SQLite's 12-step
  /// procedure: the triggers writing it are dropped first and made again). Its fourth column is
  /// now `part`: a stock row's warehouse, a translation's language. A rule's merchant is the one
  /// its scope names alone, else empty (an operator's rule). Rules and translations stored
  /// before count as changed once, as products and stock did in 0023.
  static func registerJournalKindsMigration(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("0025-journal-rules-and-translations") { db in
      let journal = "INSERT INTO change_journal (kind, merchant_id, key, part)"
      func translation(_ row: String) -> String {
        "\(journal) SELECT 'translation', merchant_id, id, \(row).language FROM product "
          + "WHERE doc = \(row).doc;"
      }
      try db.execute(
        sql: """
          DROP TRIGGER journal_product_insert;
          DROP TRIGGER journal_product_update;
          DROP TRIGGER journal_product_delete;
          DROP TRIGGER journal_stock_insert;
          DROP TRIGGER journal_stock_update;
          DROP TRIGGER journal_stock_delete;
          CREATE TABLE change_journal_new (
            seq INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('product', 'stock', 'rule', 'translation')),
            merchant_id TEXT NOT NULL,
            key TEXT NOT NULL,
            part TEXT NOT NULL DEFAULT ''
          ) STRICT;
          INSERT INTO change_journal_new (seq, kind, merchant_id, key, part)
            SELECT seq, kind, merchant_id, key, warehouse_id FROM change_journal ORDER BY seq;
          DROP TABLE change_journal;
          ALTER TABLE change_journal_new RENAME TO change_journal;
          CREATE TRIGGER journal_product_insert AFTER INSERT ON product BEGIN
            \(journal) VALUES ('product', new.merchant_id, new.id, '');
          END;
          CREATE TRIGGER journal_product_update AFTER UPDATE OF content_hash ON product
          WHEN old.content_hash != new.content_hash BEGIN
            \(journal) VALUES ('product', new.merchant_id, new.id, '');
          END;
          CREATE TRIGGER journal_product_delete AFTER DELETE ON product BEGIN
            \(journal) VALUES ('product', old.merchant_id, old.id, '');
          END;
          CREATE TRIGGER journal_stock_insert AFTER INSERT ON stock BEGIN
            \(journal) VALUES ('stock', new.merchant_id, new.sku, new.warehouse_id);
          END;
          CREATE TRIGGER journal_stock_update AFTER UPDATE OF on_hand ON stock
          WHEN old.on_hand != new.on_hand BEGIN
            \(journal) VALUES ('stock', new.merchant_id, new.sku, new.warehouse_id);
          END;
          CREATE TRIGGER journal_stock_delete AFTER DELETE ON stock BEGIN
            \(journal) VALUES ('stock', old.merchant_id, old.sku, old.warehouse_id);
          END;
          CREATE TRIGGER journal_rule_insert AFTER INSERT ON pricing_rule BEGIN
            \(journal) VALUES ('rule', coalesce(new.merchant_id, ''), new.id, '');
          END;
          CREATE TRIGGER journal_rule_update AFTER UPDATE OF rule, merchant_id ON pricing_rule
          WHEN old.rule != new.rule OR old.merchant_id IS NOT new.merchant_id BEGIN
            \(journal) VALUES ('rule', coalesce(old.merchant_id, ''), old.id, '');
            \(journal) VALUES ('rule', coalesce(new.merchant_id, ''), new.id, '');
          END;
          CREATE TRIGGER journal_rule_delete AFTER DELETE ON pricing_rule BEGIN
            \(journal) VALUES ('rule', coalesce(old.merchant_id, ''), old.id, '');
          END;
          CREATE TRIGGER journal_translation_insert AFTER INSERT ON product_translation BEGIN
            \(translation("new"))
          END;
          CREATE TRIGGER journal_translation_update AFTER UPDATE ON product_translation
          WHEN old.title != new.title OR old.description != new.description BEGIN
            \(translation("new"))
          END;
          CREATE TRIGGER journal_translation_delete AFTER DELETE ON product_translation BEGIN
            \(translation("old"))
          END;
          \(journal) SELECT 'rule', coalesce(merchant_id, ''), id, '' FROM pricing_rule ORDER BY id;
          \(journal) SELECT 'translation', p.merchant_id, p.id, t.language
            FROM product_translation t JOIN product p ON p.doc = t.doc
            ORDER BY p.merchant_id, p.id, t.language;
          """)
    }
  }
}
