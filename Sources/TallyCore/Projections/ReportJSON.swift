/// A report row with the JSON shape of CONTRACT.md section 6. Times are RFC 3339 UTC.
public protocol JSONRepresentable {
    /// Appends the row as one JSON object.
    func write(to writer: JSONWriter)
}

extension Projector.ScoreRow: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("member", member)
            row.add("score", score)
            row.add("tier", tier)
            row.add("points", points)
        }
    }
}

extension TierChange: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("seq", Int64(seq))
            row.add("time", time)
            row.add("from", from)
            row.add("to", to)
        }
    }
}

extension MemberTierChange: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("seq", Int64(change.seq))
            row.add("time", change.time)
            row.add("member", member)
            row.add("from", change.from)
            row.add("to", change.to)
        }
    }
}

extension AuditFinding: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("seq", Int64(seq))
            row.add("member", member)
            row.add("points", points)
            row.add("reason", reason)
            row.add("finding", finding.rawValue)
        }
    }
}

extension Projector.ComplaintRow: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("complaint", complaint)
            row.add("member", member)
            row.add("severity", severity.rawValue)
            row.add("status", status)
            row.add("opened_at", openedAt)
            row.add("first_response_at", firstResponseAt)
            row.add("resolved_at", resolvedAt)
            row.add("response_breached", responseBreached)
            row.add("resolution_breached", resolutionBreached)
            row.add("satisfaction", satisfaction)
        }
    }
}

extension SLASummary: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("severity", severity?.rawValue ?? "all")
            row.add("first_response_limit_hours", firstResponseLimitHours)
            row.add("resolution_limit_hours", resolutionLimitHours)
            row.add("complaints", Int64(complaints))
            row.add("answered", Int64(answered))
            row.add("response_breached", Int64(responseBreached))
            row.add("response_median_hours", responseMedianHours)
            row.add("response_p90_hours", responseP90Hours)
            row.add("closed", Int64(closed))
            row.add("resolution_breached", Int64(resolutionBreached))
            row.add("resolution_median_hours", resolutionMedianHours)
            row.add("resolution_p90_hours", resolutionP90Hours)
            row.add("rated", Int64(rated))
            row.add("satisfaction_mean", satisfactionMean)
        }
    }
}

extension MemberActivity: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("member", member)
            row.add("first_seen", firstSeen)
            row.add("last_seen", lastSeen)
            row.add("events", Int64(events))
            row.add("role", role)
            row.add("channels", channels)
        }
    }
}

extension OwnerWorkload: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("owner", owner)
            row.add("actions", Int64(actions))
            row.add("open", Int64(open))
            row.add("overdue", Int64(overdue))
            row.add("planned", Int64(count(.planned)))
            row.add("in_progress", Int64(count(.inProgress)))
            row.add("blocked", Int64(count(.blocked)))
            row.add("done", Int64(count(.done)))
            row.add("verified", Int64(count(.verified)))
            row.add("cancelled", Int64(count(.cancelled)))
        }
    }
}

extension Projector.ActionRow: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("action", action)
            row.add("title", title)
            row.add("owner", owner)
            row.add("due", due)
            row.add("status", status.rawValue)
            row.add("overdue", overdue)
            row.add("complaints", complaints)
        }
    }
}

extension DiffRow: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("member", member)
            row.add("score_before", scoreBefore)
            row.add("score_after", scoreAfter)
            row.add("tier_before", tierBefore)
            row.add("tier_after", tierAfter)
        }
    }
}

extension ComplaintDiffRow: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("complaint", complaint)
            row.add("severity", severity.rawValue)
            row.add("response_breached_before", responseBreachedBefore)
            row.add("response_breached_after", responseBreachedAfter)
            row.add("resolution_breached_before", resolutionBreachedBefore)
            row.add("resolution_breached_after", resolutionBreachedAfter)
        }
    }
}

extension AuditDiffRow: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("seq", Int64(seq))
            row.add("member", member)
            row.add("points", points)
            row.add("reason", reason)
            row.add("findings_before", findingsBefore)
            row.add("findings_after", findingsAfter)
        }
    }
}

extension Explanation: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { object in
            object.add("member", member)
            object.add("rules", rules)
            object.add("score", score)
            object.add("tier", tier)
            object.add("points", points)
            object.add("credits", credits) { row, credit in
                row.add("seq", Int64(credit.seq))
                row.add("day", Timestamp.dateString(day: credit.day))
                row.add("rule", credit.rule.rawValue)
                row.add("amount", credit.amount)
                row.add("counted", credit.counted)
                row.add("capped", credit.counted != credit.amount)
            }
            object.add("days", days) { row, day in
                row.add("day", Timestamp.dateString(day: day.day))
                row.add("positive", day.positive)
                row.add("negative", day.negative)
                row.add("cap_cut", day.capCut)
            }
            object.add("awards", awards) { row, award in
                row.add("seq", Int64(award.seq))
                row.add("points", award.points)
                row.add("reason", award.reason)
                row.add("ref", award.ref)
                row.add("findings", award.findings.map(\.rawValue))
            }
            object.add("redemptions", redemptions) { row, redemption in
                row.add("seq", Int64(redemption.seq))
                row.add("points", redemption.points)
                row.add("reward", redemption.reward)
            }
            object.add("uncredited", uncredited) { row, entry in
                row.add("seq", Int64(entry.seq))
                row.add("reason", entry.reason.rawValue)
                row.add("by", entry.by.map { Int64($0) })
            }
        }
    }
}

extension QuizResult: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("quiz", quiz)
            row.add("published_seq", publishedSeq.map { Int64(clamping: $0) })
            row.add("published_at", publishedAt)
            row.add("closes", closes)
            row.add("answers", Int64(answers))
            row.add("counted", Int64(counted))
            row.add("correct", Int64(correct))
            row.add("members", Int64(members))
            row.add("before_publication", Int64(beforePublication))
            row.add("unknown_question", Int64(unknownQuestion))
            row.add("after_close", Int64(afterClose))
            row.add("not_first_answer", Int64(notFirstAnswer))
            row.add("questions", questions) { entry, question in
                entry.add("question", question.question)
                entry.add("key", question.key)
                entry.add("counted", Int64(question.counted))
                entry.add("correct", Int64(question.correct))
                entry.add("top_wrong_answer", question.topWrongAnswer)
                entry.add("top_wrong_count", Int64(question.topWrongCount))
            }
        }
    }
}

extension ActivityLine: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("period", label)
            row.add("start", Timestamp.dateString(day: start))
            row.add("events", Int64(events))
            row.add("active_members", Int64(activeMembers))
            row.add("new_members", Int64(newMembers))
            for type in EventType.allCases { row.add(named: type.rawValue, Int64(count(type))) }
        }
    }
}

extension ContentLine: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("post", post)
            row.add("seq", Int64(clamping: seq))
            row.add("author", author)
            row.add("posted_at", postedAt)
            row.add("channel", channel)
            row.add("kind", kind)
            row.add("title", title)
            row.add("replies", Int64(replies))
            row.add("repliers", Int64(repliers))
            row.add("upvotes", Int64(upvotes))
            row.add("downvotes", Int64(downvotes))
            row.add("interactions", Int64(interactions))
        }
    }
}

extension ContentGroup: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("group", group)
            row.add("posts", Int64(posts))
            row.add("replies", Int64(replies))
            row.add("upvotes", Int64(upvotes))
            row.add("downvotes", Int64(downvotes))
            row.add("interactions", Int64(interactions))
        }
    }
}

extension RetentionCohort: JSONRepresentable {
    public func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("cohort", label)
            row.add("start", Timestamp.dateString(day: start))
            row.add("members", Int64(members))
            row.add("active", active)
        }
    }
}
