import ShopCore

/// `DownloadCounts` kept in the checkout's storage (`DownloadRecords`).
struct StoredDownloadCounts: DownloadCounts {
    let storage: any CheckoutStorage
    let limit: Int

    func isSpent(grant: String, file: String) async throws -> Bool {
        let limit = self.limit
        return try await storage.read { tx in try tx.downloads.count(grant: grant, file: file) >= limit }
    }

    func record(grant: String, file: String, bytes: Int, of size: Int, whole: Bool, now: Int) async throws -> Bool {
        let budget = size.multipliedSaturated(by: limit.addingSaturated(1))
        let limit = self.limit
        return try await storage.write { tx in
            try tx.downloads.record(grant: grant, file: file, bytes: bytes, whole: whole, limit: limit, budget: budget, now: now)
        }
    }
}
