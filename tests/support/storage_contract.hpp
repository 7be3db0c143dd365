// The storage contract: what every implementation of the stores (runtime/storage/
// stores.hpp) must do, checked the same way against SQLite, PostgreSQL and the
// remote stores that ask a persistence node. A back-end's test file makes a
// `storage_backend` (a fresh, empty database each time) and calls
// `check_storage_contract`, which runs each case in a SECTION of its own.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "runtime/storage/stores.hpp"

namespace qs::test {

struct storage_backend {
  runtime::storage::stores stores;
  std::shared_ptr<runtime::storage::batch_writer> writer;
  /// Makes every later insert of an entry of `asset` fail inside the database.
  std::function<void(const std::string& asset)> refuse_asset;
  std::shared_ptr<void> owner; ///< whatever must live as long as the stores
};

using backend_factory = std::function<storage_backend()>;

void check_storage_contract(const backend_factory& open);

/// An entry numbered `n` of `asset` (scan result {"n":n}).
runtime::storage::entry make_entry(const std::string& asset, int n);
/// A batch of `count` entries of `asset`, numbered from `first`.
runtime::storage::write_batch make_batch(const std::string& asset, int first, int count);

} // namespace qs::test
