using System.Security.Cryptography;
using System.Text;

namespace Whop.Inbox.Webhooks;

/// <summary>
/// Signing the Standard Webhooks way: <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>,
/// keyed with the secret's bytes (the base64 after <c>whsec_</c>). While a rotated-out secret is still
/// valid, the header carries both signatures, space-separated, so a receiver on either secret verifies.
/// </summary>
public static class WebhookSignature
{
    /// <summary>How long the previous secret still signs after a rotation.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromDays(1);

    /// <summary>Secret bytes: 24 random ones when the app makes it; at least that many when given.</summary>
    public const int SecretBytes = 24;

    public static string NewSecret() => WebhookIds.Secret + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>Whether a given secret can sign: <c>whsec_</c> and base64 of at least <see cref="SecretBytes"/> bytes.</summary>
    public static bool IsUsable(string secret) => KeyOf(secret) is { Length: >= SecretBytes };

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = KeyOf(secret) ?? throw new ArgumentException("Not a webhook secret.", nameof(secret));
        var signed = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(signed);
    }

    /// <summary>The <c>webhook-signature</c> header: one signature per secret that is valid now.</summary>
    public static string Header(IEnumerable<string> secrets, string id, long timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => Sign(secret, id, timestamp, body)));

    private static byte[]? KeyOf(string secret)
    {
        if (!secret.StartsWith(WebhookIds.Secret, StringComparison.Ordinal)) return null;
        var buffer = new byte[secret.Length];
        return Convert.TryFromBase64String(secret[WebhookIds.Secret.Length..], buffer, out var written) ? buffer[..written] : null;
    }
}
