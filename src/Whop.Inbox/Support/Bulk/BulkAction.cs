namespace Whop.Inbox.Support.Bulk;

/// <summary>
/// What a bulk change does to each chat it names, with the action's own fields, parsed before anything
/// changes. Each case is one per-chat service call (<see cref="BulkActions"/>).
/// </summary>
public abstract record BulkAction
{
    private BulkAction() { }

    /// <summary>The action's name on the wire (<c>action</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Gives each chat to a team member, or to nobody (null).</summary>
    public sealed record Assign(string? AssigneeId) : BulkAction
    {
        public override string Name => "assign";
    }

    public sealed record Resolve : BulkAction
    {
        public override string Name => "resolve";
    }

    public sealed record Reopen : BulkAction
    {
        public override string Name => "reopen";
    }

    /// <summary>Adds these labels to each chat, keeping the ones it has.</summary>
    public sealed record Label(IReadOnlyList<string> LabelIds) : BulkAction
    {
        public override string Name => "label";
    }

    /// <summary>Takes these labels off each chat, keeping the others.</summary>
    public sealed record Unlabel(IReadOnlyList<string> LabelIds) : BulkAction
    {
        public override string Name => "unlabel";
    }

    /// <summary>Snoozes each chat until a time or until its customer replies, or wakes it.</summary>
    public sealed record Snooze(Support.Snooze.SnoozeRequest Request) : BulkAction
    {
        public override string Name => "snooze";
    }
}
