using Microsoft.AspNetCore.Identity;

namespace Whop.Inbox.Benchmarks.Data;

/// <summary>A user row as both databases store it (times are written by each sink in its own form).</summary>
public readonly record struct UserRow(string Id, string Name, string UserName, DateTime CreatedAt, string? PasswordHash, string SecurityStamp,
    string ConcurrencyStamp)
{
    public string Email => $"{UserName}@example.com";
}

public readonly record struct TeamMemberRow(string Id, string CompanyId, string UserId, string Role, DateTime CreatedAt);

public readonly record struct ChannelRow(string Id, string Kind, string CompanyId, string? CustomerId, string? CustomName, string? CreatedById,
    DateTime CreatedAt, DateTime LastActivityAt, DateTime? LastMessageAt, string? Status, DateTime? ResolvedAt, string? ResolvedById, int MemberCount);

public readonly record struct MemberRow(string Id, string ChannelId, string UserId, DateTime CreatedAt, DateTime? LastViewedAt);

public readonly record struct MessageRow(string Id, string ChannelId, string AuthorId, string Content, string Type, DateTime CreatedAt,
    DateTime UpdatedAt, DateTime? DeletedAt, string? DeletedById);

/// <summary>Where the generated rows go: PostgreSQL's binary COPY or SQLite's prepared INSERTs. Rows arrive in one fixed order.</summary>
public interface IRowSink
{
    void User(in UserRow row);
    void TeamMember(in TeamMemberRow row);
    void Channel(in ChannelRow row);
    void Member(in MemberRow row);
    void Message(in MessageRow row);
}

/// <summary>
/// One company's support inbox, team and DMs, as rows for a freshly migrated database (the app has
/// created the schema and the company). The same for both databases: one seeded generator, one
/// order of rows, so a scale gives the same data (ids included) on SQLite and on PostgreSQL; only
/// the times move with the day the data is generated (the history ends then). The loaders
/// (<see cref="PostgresStore"/>, <see cref="SqliteStore"/>) decide how the rows are written.
/// </summary>
public sealed class DataGenerator(BenchData shape, Action<string> say)
{
    /// <summary>The tables the generator fills (their indexes are dropped for the load and built again).</summary>
    public static readonly string[] Tables = ["users", "team_members", "channels", "channel_members", "messages"];
    private static readonly TimeSpan History = TimeSpan.FromDays(365);

    private readonly Random _random = new(20261121);
    private readonly DateTime _now = DateTime.UtcNow;
    private string[] _content = [];
    private IRowSink _sink = null!;
    private long _channels, _members, _messages, _receipts;

    public sealed record Counts(long Users, long Channels, long Members, long Messages);

    public Counts Generate(string companyId, IRowSink sink)
    {
        _sink = sink;
        _content = ContentPool(4_096);
        var customers = shape.SupportChats;
        var customerIds = Enumerable.Range(0, customers).Select(_ => NewId("user_")).ToArray();
        var teamIds = Enumerable.Range(0, 1 + BenchData.Moderators).Select(_ => NewId("user_")).ToArray();
        var teamNames = new[] { "Jordan Blake" }.Concat(Enumerable.Range(1, BenchData.Moderators).Select(i => $"{FirstNames[i]} {LastNames[i * 3]}")).ToArray();

        var passwordHash = new PasswordHasher<object>().HashPassword(new object(), BenchData.TeamPassword);
        var teamSince = _now - History - TimeSpan.FromDays(30);
        for (var t = 0; t < teamIds.Length; t++)
        {
            var userName = t == 0 ? BenchData.AdminUserName : $"mod{t:D2}";
            User(teamIds[t], teamNames[t], userName, teamSince, passwordHash);
        }
        for (var c = 0; c < customers; c++)
        {
            var name = $"{FirstNames[_random.Next(FirstNames.Length)]} {LastNames[_random.Next(LastNames.Length)]}";
            User(customerIds[c], name, BenchData.CustomerUserName(c), _now - History - TimeSpan.FromDays(_random.Next(1, 200)), null);
        }
        for (var t = 0; t < teamIds.Length; t++)
            sink.TeamMember(new TeamMemberRow(NewId("tm_"), companyId, teamIds[t], t == 0 ? "admin" : "moderator", _now - History - TimeSpan.FromDays(30)));

        var supportCounts = Spread(shape.Messages - shape.DmMessages, customers, minimum: 1);
        // The longest history goes to customer 0's chat, where the conversation figures are taken.
        var longest = Array.IndexOf(supportCounts, supportCounts.Max());
        (supportCounts[0], supportCounts[longest]) = (supportCounts[longest], supportCounts[0]);
        for (var c = 0; c < customers; c++)
        {
            WriteSupportChat(companyId, customerIds[c], teamIds, teamNames, supportCounts[c]);
            if (c % 10_000 == 9_999) say($"  support chats: {c + 1:N0} of {customers:N0}");
        }

        var dmMembers = DmMemberships(customers);
        var dmCounts = Spread(shape.DmMessages, dmMembers.Count, minimum: 0);
        for (var d = 0; d < dmMembers.Count; d++)
        {
            var (name, memberIndexes) = dmMembers[d];
            WriteDm(companyId, name, memberIndexes.Select(i => customerIds[i]).ToArray(), dmCounts[d]);
        }
        return new Counts(customers + teamIds.Length, _channels, _members, _messages);
    }

    private void User(string id, string name, string userName, DateTime createdAt, string? passwordHash) =>
        _sink.User(new UserRow(id, name, userName, createdAt, passwordHash, Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString()));

    private void WriteSupportChat(string companyId, string customerId, string[] teamIds, string[] teamNames, int count)
    {
        var chatId = NewId("feed_");
        var roll = _random.NextDouble();
        var status = roll < 0.6 && count >= 2 ? "resolved" : roll < 0.8 ? "open" : "waiting";
        var regular = status == "resolved" ? count - 1 : count;
        // A lone customer message leaves the chat open: the team has not answered yet.
        if (status == "waiting" && regular == 1) status = "open";

        // One or two team members handle it; the measured moderator handles about a third of all chats.
        var handler = _random.NextDouble() < 0.3 ? 1 : _random.Next(teamIds.Length);
        var second = _random.NextDouble() < 0.2 ? _random.Next(teamIds.Length) : handler;

        var times = Times(regular + (status == "resolved" ? 1 : 0), out var createdAt);
        var customerLast = (DateTime?)null;
        var teamLast = new Dictionary<int, DateTime>();
        var customerSpeaks = true;
        for (var m = 0; m < regular; m++)
        {
            if (m > 0) customerSpeaks = _random.NextDouble() < 0.4 ? customerSpeaks : !customerSpeaks;
            if (m == regular - 1 && status == "open") customerSpeaks = true;
            if (m == regular - 1 && status == "waiting" && regular > 1) customerSpeaks = false;
            var who = customerSpeaks ? -1 : (_random.NextDouble() < 0.5 ? handler : second);
            var author = who < 0 ? customerId : teamIds[who];
            if (who < 0) customerLast = times[m];
            else teamLast[who] = times[m];
            var content = _content[_random.Next(_content.Length)];
            // A receipt number in a customer's message at every 997th position (about one message in 2,000), for the search phase's rare term.
            if (who < 0 && _messages % BenchData.ReceiptEvery == 0) content += $" My receipt number is {BenchData.Receipt(_receipts++)}.";
            WriteMessage(chatId, author, content, "regular", times[m], _random.NextDouble() < 0.003);
        }
        var lastActivity = times[regular - 1];
        DateTime? resolvedAt = null;
        string? resolvedBy = null;
        if (status == "resolved")
        {
            resolvedAt = times[regular];
            resolvedBy = teamIds[handler];
            WriteMessage(chatId, resolvedBy, $"{teamNames[handler]} resolved this chat.", "system", resolvedAt.Value, deleted: false);
        }

        // Generated history is not in the event log, as for chats that existed before it (event positions start at 0).
        _sink.Channel(new ChannelRow(chatId, "support", companyId, customerId, null, null, createdAt, lastActivity, lastActivity, status, resolvedAt,
            resolvedBy, 0));
        _channels++;

        // Read state: the customer up to their last message or the end; team members who replied, mostly to the end.
        WriteMember(chatId, customerId, createdAt, _random.NextDouble() < 0.5 ? lastActivity : customerLast ?? createdAt);
        foreach (var (who, at) in teamLast)
            WriteMember(chatId, teamIds[who], createdAt, _random.NextDouble() < 0.7 ? resolvedAt ?? lastActivity : at);
    }

    private void WriteDm(string companyId, string? name, string[] memberIds, int count)
    {
        var dmId = NewId("feed_");
        var times = Times(count, out var createdAt);
        var lastSeen = new DateTime?[memberIds.Length];
        for (var m = 0; m < count; m++)
        {
            var who = _random.Next(memberIds.Length);
            lastSeen[who] = times[m];
            WriteMessage(dmId, memberIds[who], _content[_random.Next(_content.Length)], "regular", times[m], _random.NextDouble() < 0.003);
        }
        var lastMessage = count > 0 ? times[count - 1] : (DateTime?)null;

        _sink.Channel(new ChannelRow(dmId, "dm", companyId, null, name, memberIds[0], createdAt, lastMessage ?? createdAt, lastMessage, null, null, null,
            memberIds.Length));
        _channels++;

        for (var i = 0; i < memberIds.Length; i++)
            WriteMember(dmId, memberIds[i], createdAt, _random.NextDouble() < 0.6 ? lastMessage : lastSeen[i]);
    }

    /// <summary>
    /// Who is in which DM: the hub population's pairs and groups of ten first (only they are in
    /// those), then random small DMs among the other customers, mostly pairs.
    /// </summary>
    private List<(string? Name, int[] Members)> DmMemberships(int customers)
    {
        var hub = shape.HubUsers;
        var list = new List<(string?, int[])>();
        for (var p = 0; p < hub / 2; p++) list.Add((null, [2 * p, 2 * p + 1]));
        for (var g = 0; g < hub / 10; g++) list.Add(($"Study group {g + 1}", Enumerable.Range(10 * g, 10).ToArray()));
        while (list.Count < shape.Dms)
        {
            var size = _random.NextDouble() < 0.7 ? 2 : _random.Next(3, 7);
            var members = new HashSet<int>();
            while (members.Count < size) members.Add(hub + _random.Next(customers - hub));
            list.Add((size > 2 ? $"Cohort {list.Count}" : null, members.ToArray()));
        }
        return list;
    }

    private void WriteMessage(string channelId, string authorId, string content, string type, DateTime at, bool deleted)
    {
        var id = NewId("post_");
        var when = at.AddMinutes(1);
        _sink.Message(deleted
            ? new MessageRow(id, channelId, authorId, content, type, at, when, when, authorId)
            : new MessageRow(id, channelId, authorId, content, type, at, at, null, null));
        _messages++;
    }

    private void WriteMember(string channelId, string userId, DateTime createdAt, DateTime? lastViewedAt)
    {
        _sink.Member(new MemberRow(NewId("mem_"), channelId, userId, createdAt, lastViewedAt));
        _members++;
    }

    // ---------------------------------------------------------------------------------------------
    // Distributions

    /// <summary>
    /// <paramref name="total"/> split over <paramref name="parts"/> with a long tail (log-normal
    /// weights: most conversations are short, a few run to thousands), summing exactly to the total.
    /// </summary>
    private int[] Spread(long total, int parts, int minimum)
    {
        var weights = new double[parts];
        for (var i = 0; i < parts; i++) weights[i] = Math.Exp(1.2 * Gaussian());
        var sum = weights.Sum();
        var budget = total - (long)minimum * parts;
        var counts = new int[parts];
        long assigned = 0;
        for (var i = 0; i < parts; i++)
        {
            counts[i] = minimum + (int)Math.Floor(weights[i] / sum * budget);
            assigned += counts[i];
        }
        for (var left = total - assigned; left > 0; left--) counts[_random.Next(parts)]++;
        return counts;
    }

    /// <summary>Sorted, distinct message times for one conversation somewhere in the last year, and its creation time.</summary>
    private DateTime[] Times(int count, out DateTime createdAt)
    {
        // Recent conversations are more common than old ones.
        var age = TimeSpan.FromTicks((long)(History.Ticks * Math.Pow(_random.NextDouble(), 1.5)));
        createdAt = _now - age - TimeSpan.FromMinutes(5);
        var span = Math.Min((_now - createdAt).Ticks - TimeSpan.TicksPerMinute,
            (long)(TimeSpan.TicksPerDay * -Math.Log(1 - _random.NextDouble()) * 2) + count * TimeSpan.TicksPerMinute * 3);
        var times = new DateTime[count];
        for (var i = 0; i < count; i++) times[i] = createdAt.AddTicks(1 + (long)(_random.NextDouble() * span));
        Array.Sort(times);
        // Microsecond precision, strictly increasing, as the app writes them.
        for (var i = 0; i < count; i++)
        {
            times[i] = new DateTime(times[i].Ticks - times[i].Ticks % 10, DateTimeKind.Utc);
            if (i > 0 && times[i] <= times[i - 1]) times[i] = times[i - 1].AddTicks(10);
        }
        return times;
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The app's id shape (a prefix and 16 base-62 characters), from the seeded generator.</summary>
    private string NewId(string prefix) => string.Create(prefix.Length + 16, (prefix, _random), static (span, state) =>
    {
        state.prefix.AsSpan().CopyTo(span);
        for (var i = state.prefix.Length; i < span.Length; i++) span[i] = Alphabet[state._random.Next(Alphabet.Length)];
    });

    private string[] ContentPool(int size)
    {
        var pool = new string[size];
        for (var i = 0; i < size; i++)
        {
            var sentences = 1 + _random.Next(3);
            pool[i] = string.Join(" ", Enumerable.Range(0, sentences).Select(_ => Sentences[_random.Next(Sentences.Length)]));
        }
        return pool;
    }

    private static readonly string[] Sentences =
    [
        "Hi, I bought the course yesterday but it does not show up in my library.", "Could you tell me the email you used at checkout?",
        "The video in lesson 4 stops at 12:40 every time.", "Which browser are you using?", "I was charged twice this month.",
        "I have refunded the second charge; it takes 3 to 5 days to appear.", "Thanks, that fixed it!", "Is there a student discount?",
        "Can I switch from monthly to annual without losing my progress?", "Yes, progress is tied to your account, not the plan.",
        "The certificate has my name misspelled.", "Fixed! It can take up to an hour to regenerate.", "When is the next live Q&A?",
        "Thursday at 18:00 CET; you will get a reminder an hour before.", "The quiz marks my correct answer as wrong.",
        "Please cancel my subscription at the end of this period.", "Done. You keep access until the end of the month.",
        "Where do I download the project files?", "They are under **Resources** at the bottom of the lesson page.",
        "My password reset email never arrives.", "I have resent it; please check your spam folder too.", "Great, thank you so much 🙏",
        "Has anyone finished the lighting assignment yet?", "Halfway there, the rim light part is tricky.", "Sharing my result tonight!",
        "Want to review each other's portfolios on Friday?", "Sure, 3pm works for me.", "Any tips for the final project?",
    ];

    private static readonly string[] FirstNames =
    [
        "Alice", "Ben", "Chloe", "Dan", "Elena", "Farid", "Grace", "Hugo", "Inès", "Jamal", "Kira", "Liam", "Mei", "Nora", "Oscar", "Priya",
        "Quinn", "Rosa", "Sam", "Tomás", "Uma", "Victor", "Wen", "Xavier", "Yara", "Zoe", "Amir", "Bea", "Carlos", "Dana",
    ];

    private static readonly string[] LastNames =
    [
        "Moreau", "Okafor", "Park", "Whitaker", "Rossi", "Nasser", "Liu", "Martins", "Dubois", "Reed", "Tanaka", "O'Brien", "Wong",
        "Lindqvist", "Diaz", "Sharma", "Foster", "Alvarez", "Keller", "Novak", "Haddad", "Chen", "Blake", "Silva", "Kowalski", "Nguyen",
        "Andersen", "Costa", "Ibrahim", "Murphy",
    ];
}
