namespace Whop.Inbox.Benchmarks.Data;

/// <summary>
/// The shape of the generated data at a scale, and the names the benchmark finds things by. Both
/// the generator and the phases derive everything from here, so a reused database needs no sidecar.
/// </summary>
public sealed record BenchData(double Scale)
{
    /// <summary>Bump when the generated data changes: an older database is then generated again.</summary>
    public const int GeneratorVersion = 2;

    public const string TeamPassword = "Bench-pass-1";
    public const string AdminUserName = "admin";
    /// <summary>The moderator the inbox is measured as (HTTP and browser).</summary>
    public const string ModeratorUserName = "mod01";
    public const int Moderators = 9;

    public int SupportChats => (int)Math.Round(100_000 * Scale);
    public long Messages => (long)Math.Round(5_000_000 * Scale);
    public int Dms => (int)Math.Round(10_000 * Scale);

    /// <summary>A tenth of the messages are in DMs, the rest in support chats.</summary>
    public long DmMessages => Messages / 10;

    /// <summary>
    /// Customers 0..HubUsers-1 are the hub population: DM pairs (0,1), (2,3)… and groups of ten
    /// 0-9, 10-19…; nobody else is in those DMs. 1,000 at full scale.
    /// </summary>
    public int HubUsers => Math.Clamp((int)Math.Round(10_000 * Scale / 10) * 10, 20, 1_000);

    /// <summary>A customer's message whose position is a multiple of this carries a receipt number (v2).</summary>
    public const int ReceiptEvery = 997;

    /// <summary>
    /// The n-th receipt number written: 1,000 distinct ones in turn, so each is in one to three messages at full scale
    /// (about 2,250 receipts in all) and the first, <see cref="RareReceipt"/>, is in one at least at any scale.
    /// </summary>
    public static string Receipt(long n) => $"RCPT-{88_000 + n % 1_000}";

    public static string RareReceipt => Receipt(0);

    public static string CustomerUserName(int index) => $"customer{index:D6}";

    /// <summary>Customer 0's support chat is given the longest history (for the conversation figures).</summary>
    public static string LongChatCustomer => CustomerUserName(0);

    public string Signature => $"whop-inbox-bench v{GeneratorVersion} scale={Scale.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
