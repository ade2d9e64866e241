namespace Whop.Inbox.Support.Bulk;

/// <summary>
/// What a bulk change does to each chat it names, with the action's own fields, parsed before anything
/// changes. Each case is one per-chat service call (<see cref="BulkActions"/>): labelling and snoozing
/// join as <c>Label(LabelIds)</c>, <c>Unlabel(LabelIds)</c> and <c>Snooze(Request)</c>, one case each.
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
}
