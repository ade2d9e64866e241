using System.Security.Cryptography;

namespace Whop.Inbox.Data;

/// <summary>
/// Public identifiers: a type prefix (as Whop's API uses) and 16 random base-62 characters
/// (about 95 bits) from the OS's CSPRNG, so ids can be shown and linked but never guessed.
/// </summary>
public static class PublicId
{
    public const string Company = "biz_";
    public const string User = "user_";
    public const string Channel = "feed_";
    public const string Message = "post_";
    public const string ChannelMember = "mem_";
    public const string Reaction = "rxn_";
    public const string TeamMember = "tm_";
    public const string ApiKey = "key_";
    public const string AuditEntry = "aud_";
    public const string File = "file_";
    public const string Label = "label_";
    public const string SavedReply = "reply_";

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public const int RandomLength = 16;

    public static string New(string prefix) => prefix + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    public static bool HasPrefix(string? id, string prefix) =>
        id is not null && id.Length == prefix.Length + RandomLength && id.StartsWith(prefix, StringComparison.Ordinal);
}
