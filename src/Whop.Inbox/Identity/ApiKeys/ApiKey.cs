using System.Security.Cryptography;
using System.Text;
using Whop.Inbox.Data;

namespace Whop.Inbox.Identity.ApiKeys;

/// <summary>
/// A company's credential for server-to-server calls. The secret is shown once at creation;
/// only its SHA-256 is kept (the secret is 190 random bits, so a slow hash adds nothing).
/// </summary>
public sealed class ApiKey
{
    /// <summary>Every key starts with this, so a bearer credential is told apart from an access token at a glance.</summary>
    public const string SecretPrefix = "whk_";
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int LookupLength = 12;
    private const int SecretLength = 32;

    private ApiKey() { }

    private ApiKey(string companyId, string name, string lookup, byte[] secretHash, string? createdById, DateTimeOffset at)
    {
        Id = PublicId.New(PublicId.ApiKey);
        CompanyId = companyId;
        Name = name;
        Lookup = lookup;
        SecretHash = secretHash;
        CreatedById = createdById;
        CreatedAt = at;
    }

    public string Id { get; private set; } = "";
    public string CompanyId { get; private set; } = "";
    public string Name { get; private set; } = "";

    /// <summary>The public part of the secret (after <see cref="SecretPrefix"/>), unique, used to find the key and shown in lists.</summary>
    public string Lookup { get; private set; } = "";

    public byte[] SecretHash { get; private set; } = [];
    public string? CreatedById { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsRevoked => RevokedAt is not null;
    public string DisplayPrefix => SecretPrefix + Lookup;

    /// <summary>Creates a key and returns it with its secret, which exists nowhere else afterwards.</summary>
    public static (ApiKey Key, string Secret) Create(string companyId, string name, string? createdById, DateTimeOffset at)
    {
        var lookup = RandomNumberGenerator.GetString(Alphabet, LookupLength);
        var secret = SecretPrefix + lookup + "_" + RandomNumberGenerator.GetString(Alphabet, SecretLength);
        return (new ApiKey(companyId, name, lookup, Hash(secret), createdById, at), secret);
    }

    /// <summary>The lookup part of a presented secret, or null when it is not shaped like one of ours.</summary>
    public static string? LookupOf(string presented)
    {
        if (!presented.StartsWith(SecretPrefix, StringComparison.Ordinal)) return null;
        var rest = presented.AsSpan(SecretPrefix.Length);
        return rest.Length == LookupLength + 1 + SecretLength && rest[LookupLength] == '_'
            ? rest[..LookupLength].ToString()
            : null;
    }

    public bool Matches(string presented) => Matches(presented, SecretHash);

    /// <summary>Whether a presented secret is the one whose hash was kept (in constant time).</summary>
    internal static bool Matches(string presented, byte[] secretHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(presented), secretHash);

    public void Revoke(DateTimeOffset at) => RevokedAt ??= at;

    public void MarkUsed(DateTimeOffset at) => LastUsedAt = at;

    internal static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
