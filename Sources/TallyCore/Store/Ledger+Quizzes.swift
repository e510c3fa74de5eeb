internal import LMDB

extension Ledger {
    /// The results of every quiz up to `atSeq` (the head when nil), published or only named
    /// by answers, by quiz id in byte order; or, given `quiz`, of that quiz alone (byte for
    /// byte), with no row when no event names it.
    ///
    /// Read from the type index (or, for one quiz, the ref index) and the records it names:
    /// no scan of the log, and no rules (a quiz's results do not depend on them). The pages
    /// read are dropped from memory every 2,048 records.
    public func quizResults(quiz: String? = nil, atSeq: UInt64? = nil) throws -> [QuizResult] {
        try read { txn in
            let seqs: [UInt64]
            if let quiz {
                seqs = try PostingIndex.seqs(for: Array(quiz.utf8), in: schema.postings[.ref]!, txn)
            } else {
                let types = schema.postings[.type]!
                let published = try PostingIndex.seqs(for: [EventType.quizPublished.code], in: types, txn)
                seqs = (published + (try PostingIndex.seqs(for: [EventType.quizAnswer.code], in: types, txn))).sorted()
            }
            var tally = QuizTally()
            let pages = PageReleaser(pages: environment.mappedPages())
            for seq in seqs where seq <= atSeq ?? .max {
                pages.tick()
                if let event = try schema.recordView(at: seq, txn) { tally.add(event) }
            }
            let results = tally.results()
            return quiz.map { quiz in results.filter { $0.quiz.isExactly(quiz) } } ?? results
        }
    }
}
