import Testing
import TallyCore

/// `quizzes` on the sample (q-spring, key q1 = B, q2 = D, closing 9 March; alice answers q1
/// right, bob wrong) plus ten answers and a second quiz, each landing where the rule says.
/// q-spring: 8 answers, 5 counted (alice's and bob's first to q1 and q2, carol's to q2
/// exactly at the close), 2 correct, 3 members; one each of not_first_answer (bob's second
/// to q1), after_close (dave, 1 ms late) and unknown_question (q3). Its q2's wrong answers
/// are A and C once each: A comes first in byte order. q-summer is answered once before it
/// is published (seq 30 of 33), and then twice: erin again (not her first) and frank.
@Test func quizzesJudgeEachAnswerAsTheRuleDoes() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    let path = sample.path
    func answer(_ actor: String, _ quiz: String, _ question: String, _ answer: String, at time: String) -> String {
        #"{"type":"quiz_answer","actor":"\#(actor)","time":"\#(time)","data":{"quiz":"\#(quiz)","question":"\#(question)","answer":"\#(answer)"}}"#
    }
    let lines = [
        answer("bob", "q-spring", "q1", "B", at: "2026-03-03T10:00:00Z"),
        answer("alice", "q-spring", "q2", "A", at: "2026-03-03T10:00:00Z"),
        answer("bob", "q-spring", "q2", "C", at: "2026-03-03T10:00:00Z"),
        answer("carol", "q-spring", "q2", "D", at: "2026-03-09T00:00:00Z"),
        answer("dave", "q-spring", "q2", "D", at: "2026-03-09T00:00:00.001Z"),
        answer("carol", "q-spring", "q3", "X", at: "2026-03-09T00:00:00Z"),
        answer("erin", "q-summer", "q1", "A", at: "2026-03-10T10:00:00Z"),
        #"{"type":"quiz_published","actor":"staff-li","time":"2026-03-10T11:00:00Z","data":{"quiz":"q-summer","answers":{"q1":"A"}}}"#,
        answer("erin", "q-summer", "q1", "A", at: "2026-03-10T12:00:00Z"),
        answer("frank", "q-summer", "q1", "A", at: "2026-03-10T12:00:00Z"),
    ]
    #expect(try tally(["import", "-", "--json", "--db", path], input: lines.joined(separator: "\n")).stdout.contains(#""last_seq":33"#))
    #expect(try tally(["quizzes", "--db", path]).stdout == """
        2 quizzes (2 published): 11 answers, 6 counted, 3 (50.0%) correct
        quiz             published   closes                    answers  counted  correct       members  not counted
        q-spring         2026-03-02  2026-03-09T00:00:00.000Z  8        5        2 (40.0%)     3        1 unknown_question, 1 after_close, 1 not_first_answer
        q-summer         2026-03-10  -                         3        1        1 (100.0%)    1        1 before_publication, 1 not_first_answer

        """)
    #expect(try tally(["quizzes", "--quiz", "q-spring", "--db", path]).stdout.hasSuffix("""
        question         key              counted  correct        most given wrong answer
        q1               B                2        1 (50.0%)      C (1)
        q2               D                3        1 (33.3%)      A (1)

        """))
    #expect(try json(try tally(["quizzes", "--quiz", "q-summer", "--json", "--db", path]).stdout) == json(#"""
        [{"quiz":"q-summer","published_seq":31,"published_at":"2026-03-10T11:00:00.000Z","closes":null,"answers":3,"counted":1,
          "correct":1,"members":1,"before_publication":1,"unknown_question":0,"after_close":0,"not_first_answer":1,
          "questions":[{"question":"q1","key":"A","counted":1,"correct":1,"top_wrong_answer":null,"top_wrong_count":0}]}]
        """#))
    // Before its publication, q-summer is a quiz only an answer names.
    #expect(try tally(["quizzes", "--unpublished", "--at", "30", "--csv", "--db", path]).stdout == """
        quiz,published_seq,published_at,closes,answers,counted,correct,members,before_publication,unknown_question,after_close,not_first_answer
        q-summer,,,,1,0,0,0,1,0,0,0

        """)
    #expect(try tally(["quizzes", "--quiz", "q-autumn", "--json", "--db", path]).stdout == "[]\n")
}

/// `activity` on the sample: 1 March 2026 was a Sunday, the last day of ISO week 9, which
/// holds seqs 1–8 (bob's join at 08:05+08:00 is 00:05 UTC that day): alice, bob and
/// staff-li, all new. Week 10 holds the other 15, by four members, staff-wang new.
@Test func activityCountsEachPeriodsEventsAndMembers() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    let path = sample.path
    #expect(try tally(["activity", "--db", path]).stdout == """
        2 weeks, 2026-W09 to 2026-W10: 23 events, 4 new members; busiest 2026-W10 (15 events, 4 active)
        period      start       events   active  new    joined   posts    replies  votes    answers  awards   redeemed  complaints
        2026-W09    2026-02-23  8        3       3      3        1        1        2        0        1        0         0
        2026-W10    2026-03-02  15       4       1      0        0        0        1        2        4        1         2

        """)
    // 7 March had no events: its line is there, with zeros.
    #expect(try tally(["activity", "--by", "day", "--since", "2026-03-04", "--csv", "--db", path]).stdout == """
        period,start,events,active_members,new_members,member_joined,post,reply,vote,quiz_published,quiz_answer,points_award,points_redeemed,complaint,complaint_response,resolution,action_opened,action_updated
        2026-03-04,2026-03-04,2,2,0,0,0,0,0,0,0,0,0,1,1,0,0,0
        2026-03-05,2026-03-05,2,1,0,0,0,0,0,0,0,1,0,0,0,1,0,0
        2026-03-06,2026-03-06,2,2,0,0,0,0,0,0,0,0,0,1,0,0,1,0
        2026-03-07,2026-03-07,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0
        2026-03-08,2026-03-08,3,3,1,0,0,0,1,0,0,1,0,0,0,0,0,1

        """)
    #expect(try json(try tally(["activity", "--by", "month", "--at", "8", "--json", "--db", path]).stdout) == json(#"""
        [{"period":"2026-03","start":"2026-03-01","events":8,"active_members":3,"new_members":3,"member_joined":3,"post":1,"reply":1,
          "vote":2,"quiz_published":0,"quiz_answer":0,"points_award":1,"points_redeemed":0,"complaint":0,"complaint_response":0,
          "resolution":0,"action_opened":0,"action_updated":0}]
        """#))
    #expect(try tally(["activity", "--at", "0", "--json", "--db", path]).stdout == "[]\n")
    #expect(try tally(["activity", "--by", "year", "--db", path]).status == 64)
}

/// `content` on the sample (alice's p-1, bob's reply r-1, bob's upvote on p-1 retracted at seq
/// 22) plus two posts. p-2: dave and erin reply down one thread (r-2, r-3 to r-2, r-4 to r-3:
/// 3 replies, 2 repliers); r-5 answers an unknown post and r-6 answers r-5, so neither joins
/// a thread; the latest votes on p-2 are dave +1, erin +1 (after her -1), frank -1, and
/// carol's own is ignored. p-3 draws alice's -1; gina's vote came before p-3 existed.
@Test func contentCountsEachThreadAndTheVotesOnEachPost() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    let path = sample.path
    var minute = 0
    func event(_ type: String, _ actor: String, _ data: String) -> String {
        minute += 1
        return #"{"type":"\#(type)","actor":"\#(actor)","time":"2026-03-10T10:\#(minute < 10 ? "0" : "")\#(minute):00Z","data":{\#(data)}}"#
    }
    let lines = [
        event("post", "carol", #""post":"p-2","channel":"forum","kind":"text","title":"FAQ""#),  // seq 24
        event("reply", "dave", #""reply":"r-2","post":"p-2""#), event("reply", "erin", #""reply":"r-3","post":"r-2""#),
        event("reply", "dave", #""reply":"r-4","post":"r-3""#), event("reply", "frank", #""reply":"r-5","post":"p-9""#),
        event("reply", "gina", #""reply":"r-6","post":"r-5""#),
        event("vote", "dave", #""target":"p-2","value":1"#), event("vote", "erin", #""target":"p-2","value":-1"#),
        event("vote", "erin", #""target":"p-2","value":1"#), event("vote", "frank", #""target":"p-2","value":-1"#),
        event("vote", "carol", #""target":"p-2","value":1"#), event("vote", "gina", #""target":"p-3","value":1"#),
        event("post", "hal", #""post":"p-3","channel":"forum","kind":"video","title":"Live""#),  // seq 36
        event("vote", "frank", #""target":"r-2","value":1"#), event("vote", "alice", #""target":"p-3","value":-1"#),
    ]
    #expect(try tally(["import", "-", "--json", "--db", path], input: lines.joined(separator: "\n")).stdout.contains(#""last_seq":38"#))
    #expect(try tally(["content", "--db", path]).stdout == """
        3 posts: 4 replies, 2 upvotes, 2 downvotes
        post             author           channel              kind   replies  repliers  up    down   title
        p-2              carol            forum                text   3        2         2     1      FAQ
        p-1              alice            wechat:group-1       image  1        1         0     0      新品开箱 unboxing
        p-3              hal              forum                video  0        0         0     1      Live

        """)
    #expect(try tally(["content", "--by", "channel", "--csv", "--db", path]).stdout == """
        group,posts,replies,upvotes,downvotes,interactions
        forum,2,3,2,2,7
        wechat:group-1,1,1,0,0,1

        """)
    #expect(try json(try tally(["content", "--at", "21", "--json", "--db", path]).stdout) == json(#"""
        [{"post":"p-1","seq":4,"author":"alice","posted_at":"2026-03-01T10:00:00.000Z","channel":"wechat:group-1","kind":"image",
          "title":"新品开箱 unboxing","replies":1,"repliers":1,"upvotes":1,"downvotes":0,"interactions":2}]
        """#))
    func posts(_ arguments: [String]) throws -> String {
        try tally(["content", "--csv", "--db", path] + arguments).stdout.split(separator: "\n").dropFirst().map { $0.prefix(3) }.joined(separator: " ")
    }
    #expect(try posts(["--since", "2026-03-10"]) == "p-2 p-3")
    #expect(try posts(["--top", "2"]) == "p-2 p-1")
    #expect(try posts(["--channel", "forum", "--kind", "video"]) == "p-3")
    #expect(try posts(["--author", "alice"]) == "p-1")
    #expect(try tally(["content", "--by", "season", "--db", path]).status == 64)
    #expect(try tally(["content", "--kind", "audio", "--db", path]).status == 64)
}

/// `retention` on the sample: alice, bob and staff-li first appear on Sunday 1 March (ISO
/// week 9) and all three are active again in week 10, staff-wang's first week. Day by day,
/// the 1 March cohort is active 3, 3, 1 (alice on 3 March), 2, 1, 2, 0 (7 March) and 2 (bob
/// and staff-li on 8 March); the days between have no newcomers. Three periods asked for,
/// the text shows the two the log has.
@Test func retentionFollowsEachCohortOfNewcomers() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    let path = sample.path
    #expect(try tally(["retention", "--periods", "3", "--db", path]).stdout == """
        cohort      start       members  +0      +1
        2026-W09    2026-02-23  3        100%    100%
        2026-W10    2026-03-02  1        100%

        """)
    #expect(try tally(["retention", "--by", "day", "--csv", "--db", path]).stdout == """
        cohort,start,members,active
        2026-03-01,2026-03-01,3,3 3 1 2 1 2 0 2
        2026-03-02,2026-03-02,0,0 0 0 0 0 0 0
        2026-03-03,2026-03-03,0,0 0 0 0 0 0
        2026-03-04,2026-03-04,0,0 0 0 0 0
        2026-03-05,2026-03-05,0,0 0 0 0
        2026-03-06,2026-03-06,0,0 0 0
        2026-03-07,2026-03-07,0,0 0
        2026-03-08,2026-03-08,1,1

        """)
    #expect(try json(try tally(["retention", "--by", "day", "--since", "2026-03-02", "--json", "--db", path]).stdout)
            == json(#"[{"cohort":"2026-03-08","start":"2026-03-08","members":1,"active":[1]}]"#))
    #expect(try json(try tally(["retention", "--by", "month", "--at", "13", "--json", "--db", path]).stdout)
            == json(#"[{"cohort":"2026-03","start":"2026-03-01","members":3,"active":[3]}]"#))
    // An event appended late, dated before its member's first (staff-wang's of 8 March), moves
    // no one's cohort and counts in no period.
    try tally(["append", "vote", "--actor", "staff-wang", "--time", "2026-03-01T12:00:00Z", "target=p-1", "value=1", "--db", path])
    #expect(try tally(["retention", "--by", "day", "--csv", "--db", path]).stdout.split(separator: "\n").filter { !$0.contains(",0,") }
            == ["cohort,start,members,active", "2026-03-01,2026-03-01,3,3 3 1 2 1 2 0 2", "2026-03-08,2026-03-08,1,1"])
    #expect(try tally(["retention", "--periods", "0", "--db", path]).status == 64)
    // No cohort has more than two periods to show: a billion columns asked for are two.
    #expect(try tally(["retention", "--periods", "1000000000", "--db", path]).stdout == tally(["retention", "--periods", "2", "--db", path]).stdout)
}
