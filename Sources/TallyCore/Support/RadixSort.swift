extension Array {
    /// Sorts the elements by `key`, stably, with a least-significant-digit radix sort, a
    /// byte at a time, skipping the bytes in which every key agrees.
    ///
    /// For keys that vary in a few bytes only, such as the exact orders of ``SortedWrites``
    /// (a member's rank ‖ a day), this is a few linear passes where a comparison sort of a
    /// million elements compares each about twenty times.
    mutating func sortByRadix(of key: (Element) -> UInt64) {
        guard let first = first.map(key) else { return }
        var differing: UInt64 = 0
        for element in self { differing |= key(element) ^ first }
        guard differing != 0 else { return }
        var other = self  // the other buffer of each pass
        var counts = [Int](repeating: 0, count: 256)
        for shift in stride(from: UInt64(0), to: 64, by: 8) where (differing >> shift) & 0xFF != 0 {
            for index in counts.indices { counts[index] = 0 }
            for element in self { counts[Int(truncatingIfNeeded: key(element) >> shift) & 0xFF] += 1 }
            var start = 0
            for digit in counts.indices { (counts[digit], start) = (start, start + counts[digit]) }  // where each digit's run starts
            withUnsafeBufferPointer { source in
                other.withUnsafeMutableBufferPointer { destination in
                    for element in source {
                        let digit = Int(truncatingIfNeeded: key(element) >> shift) & 0xFF
                        destination[counts[digit]] = element
                        counts[digit] += 1
                    }
                }
            }
            swap(&self, &other)
        }
    }
}
