import Foundation
import Testing
@testable import tally
import TallyCore

/// `complaints` and `actions` filter their rows, in the contract's JSON: on the sample, as of
/// 25 March, c-2 (critical, never answered) breaches both limits and c-1 was resolved in
/// time; a-1, due 20 March, is still in progress under staff-wang, for c-1.
@Test func complaintsAndActionsFilterTheirRows() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    let path = sample.path
    func ids(_ arguments: [String], _ key: String) throws -> [String] {
        guard case .array(let rows) = try json(try tally(arguments + ["--now", "2026-03-25T00:00:00Z", "--json", "--db", path]).stdout) else { return ["?"] }
        return rows.map { row in if case .object(let object) = row, case .string(let id)? = object[key] { id } else { "?" } }
    }
    #expect(try ids(["complaints"], "complaint") == ["c-1", "c-2"])
    #expect(try ids(["complaints", "--breached"], "complaint") == ["c-2"])
    #expect(try ids(["complaints", "--status", "resolved"], "complaint") == ["c-1"])
    #expect(try ids(["complaints", "--breached", "--status", "resolved"], "complaint") == [])
    #expect(try ids(["complaints", "--member", "bob"], "complaint") == ["c-1"])
    #expect(try ids(["complaints", "--severity", "critical", "--breached"], "complaint") == ["c-2"])
    #expect(try ids(["complaints", "--severity", "low"], "complaint") == [])
    #expect(try ids(["complaints", "--category", "billing"], "complaint") == ["c-2"])
    #expect(try ids(["complaints", "--category", "Billing"], "complaint") == [])
    #expect(try ids(["actions", "--overdue"], "action") == ["a-1"])
    #expect(try ids(["actions", "--owner", "staff-wang", "--status", "in_progress"], "action") == ["a-1"])
    #expect(try ids(["actions", "--owner", "staff-li"], "action") == [])
    #expect(try ids(["actions", "--complaint", "c-1"], "action") == ["a-1"])
    #expect(try ids(["actions", "--complaint", "c-2"], "action") == [])
    let text = try tally(["actions", "--now", "2026-03-25T00:00:00Z", "--db", path]).stdout
    #expect(text == """
        1 action: 1 in_progress; 1 overdue
        a-1        in_progress  due 2026-03-20 OVERDUE  owner staff-wang  Switch courier for east region  complaints c-1  KPI: late deliveries -50%

        """)
    #expect(try tally(["complaints", "--status", "closed", "--db", path]).status == 64)
    #expect(try tally(["complaints", "--severity", "urgent", "--db", path]).status == 64)
    #expect(try tally(["actions", "--status", "late", "--db", path]).status == 64)
    // a-1 names c-1; c-2 has no action until a-1 is cancelled, and then neither has one.
    #expect(try ids(["complaints", "--without-action"], "complaint") == ["c-2"])
    #expect(try tally(["complaints", "--member", "bob", "--now", "2026-03-25T00:00:00Z", "--db", path]).stdout == """
        1 complaint: 0 open, 0 responded, 1 resolved, 0 rejected; first response breached 0 (0.0%), resolution breached 0 (0.0%); 0 without an improvement action
        complaint      member           severity  status     breached             actions
        c-1            bob              high      resolved   -                    a-1

        """)
    #expect(try tally(["complaints", "--now", "2026-03-25T00:00:00Z", "--db", path]).stdout.hasPrefix(
        "2 complaints: 1 open, 0 responded, 1 resolved, 0 rejected; first response breached 1 (50.0%), resolution breached 1 (50.0%); 1 without an improvement action\n"))
    try tally(["append", "action_updated", "--actor", "staff-wang", "action=a-1", "status=cancelled", "--db", path])
    #expect(try ids(["complaints", "--without-action"], "complaint") == ["c-1", "c-2"])
}

/// `complaints --sla` on the sample as of 25 March: c-1 (high) was answered after 2.5 h and
/// resolved after 21 h with satisfaction 4; c-2 (critical, filed on 6 March) was never
/// answered, so it breaches both limits and has no spans; `--since` keeps c-2 alone.
@Test func complaintsSLAGivesTheFiguresPerSeverity() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    let now = ["--now", "2026-03-25T00:00:00Z", "--db", sample.path]
    #expect(try tally(["complaints", "--sla"] + now).stdout == """
        severity  complaints first response: limit  breached       median   p90      resolution: limit  breached       median   p90      satisfaction
        critical  1          1 h                    1 (100.0%)     -        -        24 h               1 (100.0%)     -        -        -
        high      1          4 h                    0 (0.0%)       2.5 h    2.5 h    72 h               0 (0.0%)       21 h     21 h     4 (1 rated)
        medium    0          24 h                   0              -        -        168 h              0              -        -        -
        low       0          72 h                   0              -        -        336 h              0              -        -        -
        all       2          -                      1 (50.0%)      2.5 h    2.5 h    -                  1 (50.0%)      21 h     21 h     4 (1 rated)

        """)
    guard case .array(let lines) = try json(try tally(["complaints", "--sla", "--since", "2026-03-05", "--json"] + now).stdout),
          case .object(let all)? = lines.last else { Issue.record("no SLA lines"); return }
    #expect(lines.count == 5)
    #expect(all["severity"] == .string("all") && all["complaints"] == .integer(1) && all["answered"] == .integer(0))
    #expect(all["response_breached"] == .integer(1) && all["response_median_hours"] == .null && all["first_response_limit_hours"] == .null)
    #expect(try tally(["complaints", "--until", "2026-03-05", "--json"] + now).stdout.contains(#""complaint":"c-1""#))
    #expect(try !tally(["complaints", "--until", "2026-03-05", "--json"] + now).stdout.contains(#""complaint":"c-2""#))
    #expect(try tally(["complaints", "--since", "2026-03-06T00:00:00Z"] + now).status == 64)
}

/// `points` on the sample: five awards of 47 points in all, bob's 10 for a wrong answer
/// flagged; alice redeemed 10, so alice holds 2 and bob 35. From 2 to 5 March: s-12, s-13
/// and s-18 (25 points) and the redemption. After a deduction of 40 from bob (-5), only
/// alice holds points.
@Test func pointsGivesTheFlowsPerReasonAndRewardAndWhatIsHeld() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    let path = sample.path
    #expect(try tally(["points", "--db", path]).stdout == """
        5 awards, 47 points; flagged 1 (20.0%), 10 points (rules default-v1); 1 redemption, 10 points; 37 points held by 2 members
        reason                   awards     points       flagged          flagged points
        feedback                 1          5            0 (0.0%)         0
        manual                   1          20           0 (0.0%)         0
        post                     1          2            0 (0.0%)         0
        quiz_correct             2          20           1 (50.0%)        10
        reward                   redeemed   points
        red_packet_10            1          10

        """)
    #expect(try json(try tally(["points", "--since", "2026-03-02", "--until", "2026-03-05", "--json", "--db", path]).stdout) == json(#"""
        {"rules":"default-v1","awards":3,"points_awarded":25,"flagged":1,"flagged_points":10,"redemptions":1,"points_redeemed":10,
         "outstanding":37,"holders":2,
         "reasons":[{"reason":"feedback","awards":1,"points":5,"flagged":0,"flagged_points":0},
                    {"reason":"quiz_correct","awards":2,"points":20,"flagged":1,"flagged_points":10}],
         "rewards":[{"reward":"red_packet_10","redemptions":1,"points":10}]}
        """#))
    // What one actor made: staff-li paid every award; alice made the redemption.
    #expect(try tally(["points", "--actor", "staff-li", "--csv", "--db", path]).stdout.split(separator: "\n").count == 5)
    #expect(try tally(["points", "--actor", "alice", "--csv", "--db", path]).stdout == "kind,name,count,points,flagged,flagged_points\nredemption,red_packet_10,1,10,,\n")
    // As of seq 13, before the redemption: alice 12, bob 10.
    let early = try json(try tally(["points", "--at", "13", "--json", "--db", path]).stdout)
    guard case .object(let atThirteen) = early else { Issue.record("not an object"); return }
    #expect(atThirteen["points_awarded"] == .integer(22) && atThirteen["outstanding"] == .integer(22) && atThirteen["redemptions"] == .integer(0))
    try tally(["append", "points_award", "--actor", "staff-li", "member=bob", "points=-40", "reason=manual", "--db", path])
    #expect(try tally(["points", "--csv", "--db", path]).stdout == """
        kind,name,count,points,flagged,flagged_points
        award,feedback,1,5,0,0
        award,manual,2,-20,0,0
        award,post,1,2,0,0
        award,quiz_correct,2,20,1,10
        redemption,red_packet_10,1,10,,

        """)
    #expect(try tally(["points", "--db", path]).stdout.hasPrefix("6 awards, 7 points; flagged 1 (16.7%), 10 points (rules default-v1); 1 redemption, 10 points; 2 points held by 1 member\n"))
}

/// `members` on the sample: alice and bob joined as members (bob at 08:05 +08:00, 00:05 UTC)
/// and made 6 events each, staff-li joined as staff and made 10, staff-wang never joined and
/// made 1 (on 8 March). A member only ever awarded points has no activity of its own.
/// `scores --role` keeps the members whose latest member_joined gave that role.
@Test func membersGivesEachMembersActivity() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    let path = sample.path
    #expect(try tally(["members", "--db", path]).stdout == """
        4 members: 4 with events of their own, 3 joined a channel
        member                   first seen  last seen   events   role        channels
        alice                    2026-03-01  2026-03-06  6        member      wechat:group-1
        bob                      2026-03-01  2026-03-08  6        member      qq:group-1
        staff-li                 2026-03-01  2026-03-08  10       staff       wechat:group-1
        staff-wang               2026-03-08  2026-03-08  1        -           -

        """)
    func names(_ arguments: [String]) throws -> [String] {
        guard case .array(let rows) = try json(try tally(["members", "--json", "--db", path] + arguments).stdout) else { return ["?"] }
        return rows.map { row in if case .object(let object) = row, case .string(let name)? = object["member"] { name } else { "?" } }
    }
    #expect(try names(["--inactive-since", "2026-03-07"]) == ["alice"])
    #expect(try names(["--since", "2026-03-08"]) == ["staff-wang"])
    #expect(try names(["--role", "staff"]) == ["staff-li"])
    #expect(try names(["--channel", "wechat:group-1"]) == ["alice", "staff-li"])
    #expect(try names(["--at", "2"]) == ["alice", "bob"])
    // A leaderboard without staff: the members whose latest member_joined says `member`.
    #expect(try tally(["scores", "--role", "member", "--csv", "--db", path]).stdout == "member,score,tier,points\nalice,14,member,2\nbob,7,member,35\n")
    #expect(try tally(["scores", "--role", "member", "--at", "1", "--csv", "--db", path]).stdout == "member,score,tier,points\nalice,0,member,0\n")
    #expect(try json(try tally(["members", "--member", "bob", "--json", "--db", path]).stdout) == json(#"""
        [{"member":"bob","first_seen":"2026-03-01T00:05:00.000Z","last_seen":"2026-03-08T10:00:00.000Z","events":6,"role":"member","channels":["qq:group-1"]}]
        """#))
    try tally(["append", "points_award", "--actor", "staff-li", "member=ghost", "points=5", "reason=manual", "--db", path])
    #expect(try json(try tally(["members", "--member", "ghost", "--json", "--db", path]).stdout) == json(#"""
        [{"member":"ghost","first_seen":null,"last_seen":null,"events":0,"role":null,"channels":[]}]
        """#))
    #expect(try names(["--inactive-since", "2026-03-07"]) == ["alice", "ghost"])
    #expect(try tally(["members", "--inactive-since", "March", "--db", path]).status == 64)
    #expect(try tally(["members", "--role", "staf", "--db", path]).status == 64)
    #expect(try tally(["scores", "--role", "staf", "--db", path]).status == 64)
}

/// `actions --by-owner` on the sample plus two actions, as of 25 March: staff-wang holds a-1
/// (in progress, due 20 March: overdue) and a-3 (done), staff-li a-2 (planned, due 30 March).
@Test func actionsByOwnerCountsEachOwnersActions() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    let path = sample.path
    try tally(["append", "action_opened", "--actor", "staff-li", "action=a-2", "title=FAQ", "owner=staff-li", "due=2026-03-30", "--db", path])
    try tally(["append", "action_opened", "--actor", "staff-li", "action=a-3", "title=Refunds", "owner=staff-li", "due=2026-03-10", "--db", path])
    try tally(["append", "action_updated", "--actor", "staff-li", "action=a-3", "status=done", "owner=staff-wang", "--db", path])
    #expect(try tally(["actions", "--by-owner", "--now", "2026-03-25T00:00:00Z", "--db", path]).stdout == """
        owner                actions  open   overdue  planned  in_progress  blocked  done  verified  cancelled
        staff-li             1        1      0        1        0            0        0     0         0
        staff-wang           2        1      1        0        1            0        1     0         0

        """)
    #expect(try tally(["actions", "--by-owner", "--overdue", "--now", "2026-03-25T00:00:00Z", "--csv", "--db", path]).stdout == """
        owner,actions,open,overdue,planned,in_progress,blocked,done,verified,cancelled
        staff-wang,1,1,1,0,1,0,0,0,0

        """)
}

/// `--as-of` travels in time by date: the end of 1 March on the sample is seq 8 (the quiz of
/// seq 9 is published on 2 March), where alice has 13 (post, vote cast, upvote received) and
/// bob 8; every report and `diff` take it, and it excludes `--at`. Under posts worth 1, at
/// seq 8 alice's post gives 1 rather than 10: 13 → 4.
@Test func asOfATimeIsTheSeqBeforeTheFirstLaterEvent() throws {
    let sample = try SampleLedger(ruleFiles: ["engagement.toml": "name = \"cheap-posts\"\n[weights]\npost = 1\nreply = 5\nvote_cast = 1\nupvote_received = 2\n[tiers]\nmember = 0\n"])
    defer { sample.remove() }
    let path = sample.path
    let atEight = try tally(["scores", "--at", "8", "--csv", "--db", path]).stdout
    #expect(atEight == "member,score,tier,points\nalice,13,member,2\nbob,8,member,0\nstaff-li,0,member,0\n")
    #expect(try tally(["scores", "--as-of", "2026-03-01", "--csv", "--db", path]).stdout == atEight)
    #expect(try tally(["scores", "--as-of", "2026-03-02T01:59:59.999Z", "--csv", "--db", path]).stdout == atEight)
    #expect(try tally(["scores", "--as-of", "2026-02-28", "--csv", "--db", path]).stdout == "member,score,tier,points\n")
    #expect(try tally(["members", "--as-of", "2026-03-01", "--csv", "--db", path]).stdout.split(separator: "\n").count == 4)
    let diff = try tally(["diff", "--rules", sample.rules, "--as-of", "2026-03-01", "--csv", "--db", path]).stdout
    #expect(diff == "member,score_before,score_after,tier_before,tier_after\nalice,13,4,member,member\n")
    #expect(try tally(["diff", "--rules", sample.rules, "--at", "8", "--csv", "--db", path]).stdout == diff)
    #expect(try tally(["scores", "--at", "8", "--as-of", "2026-03-01", "--db", path]).status == 64)
    #expect(try tally(["audit", "--as-of", "March", "--db", path]).status == 64)
}

/// `rebuild --rules DIR` adopts rules for the stored projections: `stats` names them, a
/// later append keeps them in step, and `--built-in-rules` goes back.
@Test func rebuildAdoptsRulesUntilToldToGoBack() throws {
    let sample = try SampleLedger(ruleFiles: [
        "engagement.toml": "name = \"helpful\"\n[weights]\nreply = 5\nupvote_received = 50\n[tiers]\nmember = 0\nbronze = 100\n",
    ])
    defer { sample.remove() }
    let path = sample.path, rules = sample.rules
    #expect(try tally(["rebuild", "--rules", rules, "--db", path, "--json"]).status == 0)
    func stats(_ key: String) throws -> JSONValue? {
        guard case .object(let stats) = try json(try tally(["stats", "--db", path, "--json"]).stdout) else { return nil }
        return stats[key]
    }
    #expect(try stats("projection_rules") == .string("helpful"))
    #expect(try stats("projections") == .string("current"))
    // alice upvotes bob's reply r-1 again, after her upvote of seq 7: her latest vote still counts once.
    try tally(["append", "vote", "--actor", "alice", "--time", "2026-03-03T00:00:00Z", "target=r-1", "value=1", "--db", path])
    #expect(try stats("projections") == .string("current"))
    let scores = try tally(["scores", "--rules", rules, "--member", "bob", "--db", path, "--json"])
    #expect(try json(scores.stdout) == json(#"[{"member":"bob","score":55,"tier":"member","points":35}]"#))
    let verified = try tally(["verify", "--projections", "--db", path, "--json"])
    guard case .object(let verification) = try json(verified.stdout) else { Issue.record("not an object"); return }
    #expect(verification["projections"] == .string("ok"))
    #expect(try tally(["rebuild", "--built-in-rules", "--db", path]).stdout == "rebuilt from 24 events under the rules default-v1\n")
    #expect(try stats("projection_rules") == .string("default-v1"))
}

/// `rules` shows the rules a ledger keeps its projections under and writes them back as
/// files: those of a ledger that adopted "helpful" (reply 5, upvote_received 50, every other
/// weight absent, so 0) come back as files that change nothing against the originals.
@Test func rulesShowsAndWritesTheAdoptedRules() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    let path = sample.path, rules = sample.rules
    let written = temporaryPath("written")
    defer { try? FileManager.default.removeItem(atPath: written) }
    guard case .object(let builtIn) = try json(try tally(["rules", "--db", path, "--json"]).stdout) else { Issue.record("not an object"); return }
    #expect(builtIn["rules"] == .string("default-v1") && builtIn["source"] == .string("built-in"))
    try "name = \"helpful\"\n[weights]\nreply = 5\nupvote_received = 50\n[tiers]\nmember = 0\nbronze = 100\n".write(toFile: rules + "/engagement.toml", atomically: true, encoding: .utf8)
    try tally(["rebuild", "--rules", rules, "--db", path])
    guard case .object(let adopted) = try json(try tally(["rules", "--db", path, "--json"]).stdout) else { Issue.record("not an object"); return }
    #expect(adopted["source"] == .string("adopted"))
    #expect(adopted["weights"] == (try json(#"{"post":0,"reply":5,"vote_cast":0,"upvote_received":50,"downvote_received":0,"quiz_correct":0}"#)))
    #expect(adopted["tiers"] == (try json(#"[{"tier":"member","threshold":0},{"tier":"bronze","threshold":100}]"#)))
    #expect(try tally(["rules", "--db", path, "--write", written]).status == 0)
    #expect(try tally(["diff", "--rules", written, "--base", rules, "--db", path]).stdout == "0 members change (helpful → helpful)\n")
    #expect(try tally(["rules", "--rules", written]).stdout.hasPrefix("# helpful: the rules of \(written)\n\n# ==> engagement.toml <==\n"))
    let again = try tally(["rules", "--built-in-rules", "--write", written])
    #expect(again.status == 1 && again.stderr == "tally: \(written)/engagement.toml already exists; nothing was written\n")
    #expect(try tally(["rules", "--rules", rules, "--built-in-rules"]).status == 64)
}

/// `diff --complaints` and `diff --audit` on the sample under stricter service and incentive
/// rules: c-1 (high) was first answered after 2.5 hours and resolved after 21, past new limits
/// of 2 and 20 (c-2 keeps its critical limits); alice's post award of 2 (seq 8) now misses the
/// amount of 3, and bob's manual award (seq 23) has no reason left.
@Test func diffShowsTheComplaintsAndAwardsARuleChangeWouldChange() throws {
    let sample = try SampleLedger(ruleFiles: [
        "service.toml": "[first_response_hours]\ncritical = 1\nhigh = 2\nmedium = 24\nlow = 72\n[resolution_hours]\ncritical = 24\nhigh = 20\nmedium = 168\nlow = 336\n",
        "incentives.toml": "[reasons.quiz_correct]\npoints = 10\nref = \"quiz_answer\"\n[reasons.post]\npoints = 3\nref = \"post\"\n[reasons.feedback]\npoints = 5\nref = \"resolution\"\n",
    ])
    defer { sample.remove() }
    let path = sample.path, rules = sample.rules
    let complaints = try tally(["diff", "--rules", rules, "--complaints", "--now", "2026-03-25T00:00:00Z", "--json", "--db", path])
    #expect(try json(complaints.stdout) == json(#"[{"complaint":"c-1","severity":"high","response_breached_before":false,"response_breached_after":true,"resolution_breached_before":false,"resolution_breached_after":true}]"#))
    let audit = try tally(["diff", "--rules", rules, "--audit", "--json", "--db", path])
    #expect(try json(audit.stdout) == json(#"[{"seq":8,"member":"alice","points":2,"reason":"post","findings_before":[],"findings_after":["amount_mismatch"]},{"seq":23,"member":"bob","points":20,"reason":"manual","findings_before":[],"findings_after":["unknown_reason"]}]"#))
    #expect(try tally(["diff", "--rules", rules, "--audit", "--at", "20", "--db", path]).stdout == """
        1 award changes: 0 flagged before, 1 after (default-v1 → default-v1)
        seq 8        alice            2 post                   justified → amount_mismatch

        """)
    #expect(try tally(["diff", "--rules", rules, "--db", path]).stdout == "0 members change (default-v1 → default-v1)\n")
    #expect(try tally(["diff", "--rules", rules, "--complaints", "--audit", "--db", path]).status == 64)
    #expect(try tally(["diff", "--rules", rules, "--now", "2026-03-25T00:00:00Z", "--db", path]).status == 64)
}

/// `scores --since/--until` count only the credits of those UTC days: on the sample, alice
/// earned 11 on 1 March (her post, her vote on r-1) and 3 on 2 March (a correct answer), bob 7
/// on 1 March (his reply and alice's upvote on it); tier and points stay as they stand.
/// `audit --since/--until` checks only the awards of those days.
@Test func reportsOverAPeriodCountOnlyItsDays() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    let path = sample.path
    func scores(_ arguments: [String]) throws -> [String] {
        guard case .array(let rows) = try json(try tally(["scores", "--json", "--db", path] + arguments).stdout) else { return ["?"] }
        return rows.map { row in
            guard case .object(let object) = row, case .string(let member)? = object["member"], case .integer(let score)? = object["score"],
                  case .integer(let points)? = object["points"] else { return "?" }
            return "\(member) \(score) \(points)"
        }
    }
    #expect(try scores(["--until", "2026-03-01"]) == ["alice 11 2", "bob 7 35", "staff-li 0 0", "staff-wang 0 0"])
    #expect(try scores(["--since", "2026-03-02", "--top", "2"]) == ["alice 3 2", "bob 0 35"])
    #expect(try scores(["--since", "2026-03-01", "--until", "2026-03-02"]) == ["alice 14 2", "bob 7 35", "staff-li 0 0", "staff-wang 0 0"])
    #expect(try scores(["--since", "2026-03-02", "--member", "alice", "--at", "12"]) == ["alice 3 12"])  // replayed
    #expect(try scores(["--since", "2026-03-03"]) == ["alice 0 2", "bob 0 35", "staff-li 0 0", "staff-wang 0 0"])
    #expect(try tally(["scores", "--since", "2026-03-02", "--until", "2026-03-01", "--db", path]).status == 64)
    #expect(try tally(["scores", "--since", "2026-03-02T00:00:00Z", "--db", path]).status == 64)
    // The awards of 2–5 March: s-12 and s-13 (2 March; bob's answer was wrong), s-18 (5 March).
    let audit = try tally(["audit", "--since", "2026-03-02", "--until", "2026-03-05", "--json", "--db", path])
    #expect(try json(audit.stdout) == json(#"{"awards":3,"flagged":1,"findings":[{"seq":13,"member":"bob","points":10,"reason":"quiz_correct","finding":"not_qualifying"}]}"#))
    let bobs = try tally(["audit", "--since", "2026-03-03", "--member", "bob", "--actor", "staff-li", "--db", path])
    #expect(bobs.stdout == "2 awards checked, 0 flagged\n")
}

/// `tiers --since/--until` lists the tier changes of those days, up and down, replayed and
/// from stored state. With tiers at 5, 12 and 15 on the sample: alice's post (seq 4) makes
/// her bronze, bob's reply (5) him, bob's upvote on her post (6) her silver, her correct
/// answer of 2 March (10) gold, and bob taking his upvote back on 8 March (22) silver again.
@Test func tiersListTheChangesOfAPeriod() throws {
    let weights = "name = \"steps\"\n[weights]\npost = 10\nreply = 5\nvote_cast = 1\nupvote_received = 2\ndownvote_received = -1\nquiz_correct = 3\n"
    let sample = try SampleLedger(ruleFiles: [
        "engagement.toml": (weights + "[tiers]\nmember = 0\nbronze = 5\nsilver = 12\ngold = 15\n"),
    ])
    defer { sample.remove() }
    let path = sample.path, rules = sample.rules
    func changes(_ arguments: [String]) throws -> [String] {
        guard case .object(let report) = try json(try tally(["tiers", "--rules", rules, "--json", "--db", path] + arguments).stdout),
              case .array(let rows)? = report["changes"] ?? report["history"] else { return ["?"] }
        return rows.map { row in
            guard case .object(let change) = row, case .integer(let seq)? = change["seq"], case .string(let from)? = change["from"],
                  case .string(let to)? = change["to"] else { return "?" }
            if case .string(let member)? = change["member"] { return "\(seq) \(member) \(from)→\(to)" }
            return "\(seq) \(from)→\(to)"
        }
    }
    for stored in [false, true] {
        if stored { try tally(["rebuild", "--rules", rules, "--db", path]) }
        #expect(try changes(["--until", "2026-03-01"]) == ["4 alice member→bronze", "5 bob member→bronze", "6 alice bronze→silver"])
        #expect(try changes(["--since", "2026-03-02"]) == ["10 alice silver→gold", "22 alice gold→silver"])
        #expect(try changes(["--since", "2026-03-02", "--member", "alice"]) == ["10 silver→gold", "22 gold→silver"])
        #expect(try changes(["--since", "2026-03-09"]) == [])
    }
    #expect(try tally(["tiers", "--rules", rules, "--since", "2026-03-08", "--db", path]).stdout == """
        rules: steps, 1 tier change
          seq 22       2026-03-08T10:00:00.000Z  alice                gold → silver

        """)
}

/// `--csv` gives a header naming the JSON fields of each row, in the JSON's order, and a
/// line per row; text with a comma, a quote or a line break is quoted (RFC 4180).
@Test func csvGivesTheJSONFieldsOfEachRow() throws {
    let sample = try SampleLedger(ruleFiles: [
        "service.toml": "[first_response_hours]\ncritical = 1\nhigh = 2\nmedium = 24\nlow = 72\n[resolution_hours]\ncritical = 24\nhigh = 20\nmedium = 168\nlow = 336\n",
        "engagement.toml": "name = \"flat\"\n[weights]\npost = 1\nreply = 1\n[tiers]\nmember = 0\nactive = 1\n",
        "incentives.toml": "[reasons.manual]\n",
    ])
    defer { sample.remove() }
    let path = sample.path, rules = sample.rules
    let now = ["--now", "2026-03-25T00:00:00Z"]
    let reports: [(arguments: [String], rows: String?)] = [
        (["scores"], nil), (["complaints"] + now, nil), (["complaints", "--sla"] + now, nil), (["actions", "--by-owner"] + now, nil), (["actions"] + now, nil), (["audit"], "findings"),
        (["tiers", "--rules", rules, "--since", "2026-03-01"], "changes"), (["tiers", "--member", "bob", "--rules", rules], "history"),
        (["diff", "--rules", rules], nil), (["diff", "--rules", rules, "--audit"], nil), (["diff", "--rules", rules, "--complaints"] + now, nil),
    ]
    for (arguments, key) in reports {
        let parsed = try json(try tally(arguments + ["--json", "--db", path]).stdout)
        guard case .array(let rows)? = key.map({ if case .object(let object) = parsed { object[$0] } else { nil } }) ?? parsed,
              case .object(let first)? = rows.first else { Issue.record("\(arguments): no rows"); continue }
        let lines = try tally(arguments + ["--csv", "--db", path]).stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first.map(String.init) == first.members.map(\.key).joined(separator: ","), "\(arguments)")
        #expect(lines.count == rows.count + 2, "\(arguments)")  // the header, the rows, and the last newline
    }
    #expect(try tally(["tiers", "--csv", "--db", path]).stdout == "tier,count\nmember,4\nbronze,0\nsilver,0\ngold,0\nplatinum,0\n")
    try tally(["append", "post", "--actor", "wang, \"the\" boss", "post=p-9", "--time", "2026-03-09T00:00:00Z", "--db", path])
    #expect(try tally(["scores", "--csv", "--member", "wang, \"the\" boss", "--db", path]).stdout == "member,score,tier,points\n\"wang, \"\"the\"\" boss\",10,member,0\n")
    #expect(try tally(["scores", "--csv", "--json", "--db", path]).status == 64)
    #expect(try tally(["explain", "bob", "--csv", "--db", path]).status == 64)
}

/// `explain`'s text answers "why these points?" with the awards and redemptions in seq
/// order and the balance after each: alice got 2 for her post, 10 for her correct answer,
/// and spent 10 on a red packet.
@Test func explainListsThePointsWithTheBalanceAfterEach() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    #expect(try tally(["explain", "alice", "--db", sample.path]).stdout == """
        alice: score 14, tier member, points 2 (rules default-v1)
        credits:
          seq 4        2026-03-01  post               10
          seq 7        2026-03-01  vote_cast          1
          seq 10       2026-03-02  quiz_correct       3
        points (awards and redemptions, with the balance after each):
          seq 8        +2      = 2       post           ref s-4  justified
          seq 12       +10     = 12      quiz_correct   ref s-10  justified
          seq 14       -10     = 2       redeemed for red_packet_10
        not credited:
          seq 6        superseded         a vote replaced by the voter's vote at seq 22
          seq 22       retracted          a vote of 0: it takes a vote back and gives nothing

        """)
}

@Test func reportsTravelInTimeAndDiffRules() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    let path = sample.path, rules = sample.rules
    let atSix = try tally(["scores", "--db", path, "--at", "6", "--member", "alice", "--json"])
    #expect(try json(atSix.stdout) == json(#"[{"member":"alice","score":12,"tier":"member","points":0}]"#))
    try "name = \"generous\"\n[weights]\npost = 100\n[tiers]\nmember = 0\nbronze = 100\n".write(toFile: rules + "/engagement.toml", atomically: true, encoding: .utf8)
    let diff = try tally(["diff", "--rules", rules, "--db", path, "--json"])
    #expect(diff.status == 0)
    #expect(try json(diff.stdout) == json(#"[{"member":"alice","score_before":14,"score_after":100,"tier_before":"member","tier_after":"bronze"},{"member":"bob","score_before":7,"score_after":0,"tier_before":"member","tier_after":"member"}]"#))
    let diffText = try tally(["diff", "--rules", rules, "--db", path])
    #expect(diffText.stdout.hasPrefix("2 members change: 1 up, 1 down; tiers member → bronze 1 (default-v1 → generous)\n"))
    let tiers = try tally(["tiers", "--rules", rules, "--db", path, "--json"])
    #expect(try json(tiers.stdout) == json(#"{"rules":"generous","distribution":{"member":3,"bronze":1}}"#))
    // alice's post (seq 4) alone reaches bronze's 100 under these rules.
    let history = try tally(["tiers", "--rules", rules, "--member", "alice", "--db", path, "--json"])
    #expect(try json(history.stdout) == json(#"{"member":"alice","tier":"bronze","history":[{"seq":4,"time":"2026-03-01T10:00:00.000Z","from":"member","to":"bronze"}]}"#))
    // Under the built-in rules: post 10 + vote cast 1 + quiz 3 = 14; points 2 + 10 awarded, 10 redeemed;
    // bob's upvote of alice's post (seq 6) gave nothing once he took it back (seq 22).
    let explain = try tally(["explain", "alice", "--db", path, "--json"])
    #expect(try json(explain.stdout) == json(#"""
        {"member":"alice","rules":"default-v1","score":14,"tier":"member","points":2,
         "credits":[{"seq":4,"day":"2026-03-01","rule":"post","amount":10,"counted":10,"capped":false},
                    {"seq":7,"day":"2026-03-01","rule":"vote_cast","amount":1,"counted":1,"capped":false},
                    {"seq":10,"day":"2026-03-02","rule":"quiz_correct","amount":3,"counted":3,"capped":false}],
         "days":[{"day":"2026-03-01","positive":11,"negative":0,"cap_cut":0},{"day":"2026-03-02","positive":3,"negative":0,"cap_cut":0}],
         "awards":[{"seq":8,"points":2,"reason":"post","ref":"s-4","findings":[]},{"seq":12,"points":10,"reason":"quiz_correct","ref":"s-10","findings":[]}],
         "redemptions":[{"seq":14,"points":10,"reward":"red_packet_10"}],
         "uncredited":[{"seq":6,"reason":"superseded","by":22},{"seq":22,"reason":"retracted","by":null}]}
        """#))
    let audit = try tally(["audit", "--db", path, "--json"])
    #expect(try json(audit.stdout) == json(#"{"awards":5,"flagged":1,"findings":[{"seq":13,"member":"bob","points":10,"reason":"quiz_correct","finding":"not_qualifying"}]}"#))
    // staff-li made every award; as of seq 12, the two to alice (seqs 8 and 12).
    let byStaff = try tally(["audit", "--actor", "staff-li", "--db", path, "--json"])
    #expect(try json(byStaff.stdout) == json(audit.stdout))
    let byStaffAtTwelve = try tally(["audit", "--actor", "staff-li", "--at", "12", "--db", path, "--json"])
    #expect(try json(byStaffAtTwelve.stdout) == json(#"{"awards":2,"flagged":0,"findings":[]}"#))
    let toBobByStaff = try tally(["audit", "--actor", "staff-li", "--member", "bob", "--db", path, "--json"])
    #expect(try json(toBobByStaff.stdout) == json(#"{"awards":3,"flagged":1,"findings":[{"seq":13,"member":"bob","points":10,"reason":"quiz_correct","finding":"not_qualifying"}]}"#))
    #expect(try json(try tally(["audit", "--actor", "staff-wang", "--db", path, "--json"]).stdout) == json(#"{"awards":0,"flagged":0,"findings":[]}"#))
    let notQualifying = try tally(["audit", "--finding", "not_qualifying", "--db", path, "--json"])
    #expect(try json(notQualifying.stdout) == json(audit.stdout))
    #expect(try json(try tally(["audit", "--finding", "self_award", "--db", path, "--json"]).stdout) == json(#"{"awards":5,"flagged":0,"findings":[]}"#))
    #expect(try tally(["audit", "--finding", "late", "--db", path]).status == 64)
    // Under the generous rules alice (100) is bronze, bob and the two staff members are not.
    let bronze = try tally(["scores", "--tier", "bronze", "--rules", rules, "--db", path, "--json"])
    #expect(try json(bronze.stdout) == json(#"[{"member":"alice","score":100,"tier":"bronze","points":2}]"#))
    let unknownTier = try tally(["scores", "--tier", "gold", "--rules", rules, "--db", path])
    #expect(unknownTier.status == 1 && unknownTier.stderr == "tally: --tier: the rules generous have no tier 'gold'\n")
    let complaints = try tally(["complaints", "--db", path, "--now", "2026-03-06T02:00:00Z", "--json"])
    #expect(try json(complaints.stdout) == json(#"""
        [{"complaint":"c-1","member":"bob","severity":"high","status":"resolved","opened_at":"2026-03-04T12:00:00.000Z",
          "first_response_at":"2026-03-04T14:30:00.000Z","resolved_at":"2026-03-05T09:00:00.000Z","response_breached":false,
          "resolution_breached":false,"satisfaction":4},
         {"complaint":"c-2","member":"alice","severity":"critical","status":"open","opened_at":"2026-03-06T01:00:00.000Z",
          "first_response_at":null,"resolved_at":null,"response_breached":false,"resolution_breached":false,"satisfaction":null}]
        """#.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "  ", with: "")))
    let actions = try tally(["actions", "--db", path, "--now", "2026-03-21T00:00:00Z", "--json"])
    #expect(try json(actions.stdout) == json(#"[{"action":"a-1","title":"Switch courier for east region","owner":"staff-wang","due":"2026-03-20","status":"in_progress","overdue":true,"complaints":["c-1"]}]"#))
    // The reports above came from the stored projections; a rebuild recomputes the same ones.
    #expect(try tally(["stats", "--db", path, "--json"]).stdout.contains(#""projections":"current""#))
    #expect(try tally(["rebuild", "--db", path, "--json"]).stdout == "{\"events\":23}\n")
    #expect(try tally(["audit", "--db", path, "--json"]).stdout == audit.stdout)
}

/// Text tables pad by terminal columns: CJK characters and emoji take two, a letter with a
/// combining accent one.
@Test func textColumnsPadByTheColumnsATerminalGivesEachCharacter() {
    #expect(column("bob", 5) == "bob  ")
    #expect(column("王小明", 8) == "王小明  ")
    #expect(column("会员-😀", 10) == "会员-😀   ")
    #expect(column("e\u{301}", 3) == "e\u{301}  ")
    #expect(column("ｔａｌｌｙ", 8) == "ｔａｌｌｙ")
}
