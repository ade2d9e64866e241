namespace Whop.Inbox.Common;

public enum FailureKind
{
    /// <summary>The input is malformed: 400, naming the field.</summary>
    Invalid,
    /// <summary>No such thing, or the caller may not know it exists: 404.</summary>
    NotFound,
    /// <summary>The caller may see it but not do this: 403.</summary>
    Forbidden,
    /// <summary>Well-formed, but a business rule says no (e.g. the 51st DM member): 422.</summary>
    Rejected,
    /// <summary>Already as asked, by someone else's change (resolving a chat a colleague just resolved): 409. Only where the caller asked to be told.</summary>
    Conflict,
    /// <summary>The database could not take the work just now (busy or away): 503, try again shortly. Only where one part of a larger piece of work failed.</summary>
    Unavailable,
}

public sealed record Failure(FailureKind Kind, string Message, string? Field = null)
{
    public static Failure Invalid(string field, string message) => new(FailureKind.Invalid, message, field);
    public static Failure NotFound(string message) => new(FailureKind.NotFound, message);
    public static Failure Forbidden(string message = "You do not have permission to do this.") => new(FailureKind.Forbidden, message);
    public static Failure Rejected(string message, string? field = null) => new(FailureKind.Rejected, message, field);
    public static Failure Conflict(string message) => new(FailureKind.Conflict, message);
    public static Failure Unavailable(string message) => new(FailureKind.Unavailable, message);
}

/// <summary>
/// What a service operation returns: a value, or why not. The API turns failures into problem
/// details with the right status; the UI shows their message.
/// </summary>
public readonly record struct Outcome<T>(T? Value, Failure? Failure)
{
    public bool Succeeded => Failure is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}
