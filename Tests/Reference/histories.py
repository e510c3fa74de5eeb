#!/usr/bin/env python3
"""Random community histories, dense in the edge cases of CONTRACT.md sections 2 and 5.

A handful of members (two of them staff, and two whom no event credits) post, reply, vote
(on unknown and later targets too, and on their own posts), answer quizzes exactly at their
close and 1 ms after, award points with refs of every kind (fitting, someone else's, the
wrong type, later, absent), redeem, complain, respond, resolve, and open and update
improvement actions. Times are given in UTC, +08:00 and other offsets, some to the
microsecond, minutes to hours apart, across UTC day boundaries. Entity ids are sometimes
reused and event ids repeated (the same event again, or other content), so that an import
with `--skip-invalid` counts duplicates and refuses some lines. Some members, answers and
complaint ids differ from others only in how an accent is encoded.

    histories.py --seed N --events N > history.ndjson
"""
import argparse
import datetime
import json
import random

# Two members, two answers and two complaint ids are the same text to Unicode (canonically
# equivalent: "é" as U+00E9 and as "e" + U+0301) but not the same bytes: the contract's
# ids and "exact string" answers tell them apart.
MEMBERS = ["m0", "m1", "m2", "m3", "m4", "staff-a", "staff-b", "\u00e9", "e\u0301"]
ANSWERS = ["A", "B", "\u00c5", "A\u030a"]
UNCREDITED = {"member_joined", "complaint_response", "resolution", "action_opened", "action_updated", "points_award"}
STATUSES = ["planned", "in_progress", "blocked", "in_progress", "blocked", "done", "verified", "cancelled"]
AWARD_REFS = {"quiz_correct": "quiz_answer", "post": "post", "feedback": "resolution"}
AWARD_POINTS = {"quiz_correct": 10, "post": 2, "feedback": 5}


class History:
    def __init__(self, seed):
        self.random = random.Random(seed)
        self.time = datetime.datetime(2026, 3, 1, 15, 0, tzinfo=datetime.timezone.utc)
        self.events = []
        self.contents, self.quizzes, self.complaints, self.actions = [], [], [], []
        self.complaint_owner = {}

    def stamp(self, moment):
        """`moment` in RFC 3339: mostly UTC or +08:00, sometimes another offset, sometimes with
        microseconds (stored truncated to the millisecond)."""
        if self.random.random() < 0.1:
            moment += datetime.timedelta(microseconds=self.random.randrange(1000))
        precision = "microseconds" if moment.microsecond % 1000 else "milliseconds"
        offset = self.random.choice([0, 0, 8 * 60, 8 * 60, -5 * 60, 5 * 60 + 45, 14 * 60, -12 * 60])
        text = moment.astimezone(datetime.timezone(datetime.timedelta(minutes=offset))).isoformat(timespec=precision)
        return text.replace("+00:00", "Z")

    def new_or_reused(self, prefix, index, reused):
        return f"{prefix}{self.random.randrange(reused)}" if self.random.random() < 0.2 else f"{prefix}{index}"

    def next_event(self, index):
        if self.events and self.random.random() < 0.03:
            return self.again(dict(self.random.choice(self.events)))
        return self.new_event(index)

    def again(self, earlier):
        """An earlier event's id again: the same event, the same content written otherwise
        (another offset, `data` members in another order), or other content."""
        roll = self.random.random()
        if roll < 0.25:
            moment = datetime.datetime.fromisoformat(earlier["time"].replace("Z", "+00:00"))
            earlier["time"] = self.stamp(moment.replace(microsecond=moment.microsecond // 1000 * 1000))
            earlier["data"] = dict(reversed(list(earlier["data"].items())))
        elif roll < 0.5:
            earlier["actor"] = self.random.choice(MEMBERS)  # a conflict, unless the same actor came up
        elif roll < 0.6:
            earlier["data"] = dict(earlier["data"], note="changed")  # a conflict
        return earlier

    def new_event(self, index):
        pick = self.random.random
        self.time += datetime.timedelta(minutes=self.random.choice([1, 7, 30, 90, 240, 600]), milliseconds=self.random.randrange(1000))
        actor = self.random.choice(MEMBERS)
        roll = pick()
        if roll < 0.20:
            kind = "post" if roll < 0.12 else "reply"
            content = self.new_or_reused("c", index, 30)
            # A reply sometimes answers content that does not exist yet (it may come later).
            parent = self.random.choice(self.contents or ["c0"]) if pick() < 0.85 else f"c{index + self.random.choice([0, 3])}"
            data = {"post": content, "title": "t"} if kind == "post" else {"reply": content, "post": parent}
            self.contents.append(content)
        elif roll < 0.45:
            kind = "vote"
            recent = self.contents[-20:]
            target = self.random.choice(recent) if recent and pick() < 0.8 else f"c{self.random.choice([self.random.randrange(32), index + 2])}"
            data = {"target": target, "value": self.random.choice([1, 1, -1, 0])}
        elif roll < 0.50:
            kind, quiz = "quiz_published", f"q{self.random.randrange(4)}"
            questions = self.random.choice([0, 3, 3, 3])  # sometimes a quiz with an empty key
            data = {"quiz": quiz, "answers": {f"x{question}": self.random.choice(ANSWERS) for question in range(questions)}}
            closes = self.time + datetime.timedelta(hours=self.random.choice([1, 5, 30])) if pick() < 0.7 else None
            if closes:
                data["closes"] = self.stamp(closes)
            self.quizzes.append((quiz, closes))
        elif roll < 0.62:
            kind, quiz = "quiz_answer", f"q{self.random.randrange(5)}"
            if self.quizzes and pick() < 0.3:
                quiz, closes = self.random.choice(self.quizzes)
                if closes is not None and pick() < 0.5:  # exactly at the close, or 1 ms after
                    self.time = max(self.time, closes + datetime.timedelta(milliseconds=self.random.choice([0, 1])))
            data = {"quiz": quiz, "question": f"x{self.random.randrange(4)}", "answer": self.random.choice(ANSWERS)}
        elif roll < 0.74:
            kind, data = "points_award", self.award(index)
        elif roll < 0.78:
            kind, data = "points_redeemed", {"points": self.random.choice([1, 3, 10]), "reward": "red packet"}
        elif roll < 0.84:
            kind, complaint = "complaint", f"k{self.random.randrange(12)}" + self.random.choice(["", "", "\u00e9", "e\u0301"])
            data = {"complaint": complaint, "severity": self.random.choice(["low", "medium", "high", "critical"])}
            if index % 4:  # a category, or none (taken from the index, so the random stream is as before)
                data["category"] = ["billing", "delivery", "app"][index % 3]
            self.complaints.append(complaint)
            self.complaint_owner.setdefault(complaint, actor)
        elif roll < 0.89:
            kind, data = "complaint_response", {"complaint": self.random.choice(self.complaints or ["k0"])}
        elif roll < 0.93:
            kind = "resolution"
            data = {"complaint": self.random.choice(self.complaints or ["k0"]), "outcome": self.random.choice(["resolved", "rejected"])}
            if pick() < 0.6:
                data["satisfaction"] = self.random.randrange(1, 6)
        elif roll < 0.96:
            kind, action = "action_opened", self.new_or_reused("a", index, 6)
            due = (self.time + datetime.timedelta(days=self.random.randrange(-2, 4))).date().isoformat()
            data = {"action": action, "title": "fix", "owner": self.random.choice(MEMBERS), "due": due}
            if pick() < 0.5:  # complaints filed, and sometimes one never filed
                data["complaints"] = [self.random.choice(self.complaints + ["k99"])]
            self.actions.append(action)
        elif roll < 0.975:
            kind = "action_updated"
            data = {"action": self.random.choice(self.actions or ["a0"]), "status": self.random.choice(STATUSES)}
            if pick() < 0.4:
                data["owner"] = self.random.choice(MEMBERS)
        else:
            kind, data = "member_joined", {"channel": "qq:group-1", "role": "member"}
        if kind in UNCREDITED and self.random.random() < 0.15:
            actor = "auditor"  # a member no event ever credits
        event = {"id": f"e{index}", "type": kind, "actor": actor, "time": self.stamp(self.time), "data": data}
        self.events.append(event)
        return event

    def award(self, index):
        reason = self.random.choice(["quiz_correct", "post", "feedback", "manual", "bogus"])
        data = {"member": self.random.choice(MEMBERS + ["ghost"]), "points": self.random.choice([2, 5, 10, 3, -4]), "reason": reason}
        fitting = [event for event in self.events[-300:] if event["type"] == AWARD_REFS.get(reason)]
        if fitting and self.random.random() < 0.7:
            named = self.random.choice(fitting)
            data["ref"] = named["id"]
            owner = self.complaint_owner.get(named["data"]["complaint"]) if named["type"] == "resolution" else named["actor"]
            if owner is not None and self.random.random() < 0.8:  # a resolution of a complaint never filed has none
                data["member"] = owner
            if self.random.random() < 0.8:
                data["points"] = AWARD_POINTS[reason]
        elif self.events and self.random.random() < 0.85:
            data["ref"] = self.random.choice([event["id"] for event in self.events[-60:]] + [f"e{index + 3}", f"e{index}", "nope"])
        return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--events", type=int, default=3000)
    arguments = parser.parse_args()
    history = History(arguments.seed)
    for index in range(arguments.events):
        print(json.dumps(history.next_event(index), ensure_ascii=False))


if __name__ == "__main__":
    main()
