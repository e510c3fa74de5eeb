import ArgumentParser

/// `tally`: an embedded, event-sourced engagement ledger.
@main
///
/// Every command names itself (`commandName`): deriving names from the type names costs each
/// process a scan of the runtime's protocol conformances, a sixth of a short command's time.
struct Tally: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tally",
        abstract: "An event-sourced engagement ledger for brand communities, on LMDB.",
        discussion: "The ledger is $TALLY_DB if set, else ./tally.db; every command takes --db PATH.",
        version: "0.1.0",
        subcommands: [
            Append.self, Import.self, Export.self, Query.self,
            Scores.self, Tiers.self, Audit.self, Points.self, Members.self, Quizzes.self, Content.self, Activity.self, Retention.self, Explain.self, Complaints.self, Actions.self, Rebuild.self, Diff.self, RulesCommand.self,
            Verify.self, Stats.self, Backup.self,
        ]
    )
}
