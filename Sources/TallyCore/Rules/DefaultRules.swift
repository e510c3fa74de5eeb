/// The built-in rule files, byte for byte the project's `projections/` files
/// (a test proves them identical). Regenerate this file when those change.
enum DefaultRules {
    static let files: [String: String] = [
        "engagement.toml": #"""
# Engagement rules: how activity turns into a score and a loyalty tier.
name = "default-v1"          # printed in reports
[weights]
post = 10
reply = 5
vote_cast = 1                # to the voter
upvote_received = 2          # to the author of the target
downvote_received = -1
quiz_correct = 3
[limits]
daily_cap = 200              # most positive credit a member can earn per day; 0 = no cap
[tiers]                      # the highest tier whose threshold <= score (else the lowest)
member = 0
bronze = 100
silver = 500
gold = 2000
platinum = 5000

"""#,
        "incentives.toml": #"""
# Incentive rules: which points awards the rules justify (checked by `tally audit`).
[reasons.quiz_correct]
points = 10
ref = "quiz_answer"    # must name a counted, correct answer by the member
[reasons.post]
points = 2
ref = "post"           # must name a post by the member
[reasons.feedback]
points = 5
ref = "resolution"     # must name a resolution with a satisfaction score, of the member's complaint
[reasons.manual]       # no fixed amount, no ref

"""#,
        "service.toml": #"""
# Service rules: complaint handling limits, in hours from the complaint's time.
[first_response_hours]
critical = 1
high = 4
medium = 24
low = 72
[resolution_hours]
critical = 24
high = 72
medium = 168
low = 336

"""#,
    ]
}
