using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Unread;
using Whop.Inbox.Team;

namespace Whop.Inbox.Data;

/// <summary>
/// A believable company to click around in: an admin, two moderators, twenty customers, support
/// chats in every state, and a few DMs. Only ever written into an empty database.
/// </summary>
public sealed class DemoData(IDbContextFactory<InboxDbContext> contexts, IOptions<InboxOptions> options, TimeProvider clock)
{
    public const string CompanyName = "Lumen Courses";
    public const string AdminUserName = "admin";
    public static readonly string[] ModeratorUserNames = ["maya", "omar"];

    /// <summary>Every demo account, team first.</summary>
    public static IReadOnlyList<string> UserNames => [AdminUserName, .. ModeratorUserNames, .. Customers.Select(c => c.UserName)];

    private static readonly (string UserName, string Name)[] Customers =
    [
        ("alice", "Alice Moreau"), ("ben", "Ben Okafor"), ("chloe", "Chloe Park"), ("dan", "Dan Whitaker"),
        ("elena", "Elena Rossi"), ("farid", "Farid Nasser"), ("grace", "Grace Liu"), ("hugo", "Hugo Martins"),
        ("ines", "Inès Dubois"), ("jamal", "Jamal Reed"), ("kira", "Kira Tanaka"), ("liam", "Liam O'Brien"),
        ("mei", "Mei Wong"), ("nora", "Nora Lindqvist"), ("oscar", "Oscar Diaz"), ("priya", "Priya Sharma"),
        ("quinn", "Quinn Foster"), ("rosa", "Rosa Alvarez"), ("sam", "Sam Keller"), ("tomas", "Tomás Novak"),
    ];

    // Who speaks is "c" (the customer) or a team username; minutes are before "now".
    private static readonly (string Customer, SupportStatus Status, (string Who, string Text)[] Lines)[] SupportChats =
    [
        ("alice", SupportStatus.Open, [
            ("c", "Hi! I bought the **Portrait Lighting** course yesterday but it doesn't show up in my library."),
            ("maya", "Sorry about that, Alice. Could you tell me the email you used at checkout?"),
            ("c", "alice.moreau@example.com — the receipt number is LC-20931."),
            ("c", "Still nothing after logging out and back in, by the way.")]),
        ("ben", SupportStatus.Resolved, [
            ("c", "Is there a student discount for the annual plan?"),
            ("omar", "There is: 30% off with a valid student email. I've sent a code to your inbox."),
            ("c", "Got it, thanks a lot!"),
            ("omar", "Enjoy the courses, Ben 🎉")]),
        ("chloe", SupportStatus.Waiting, [
            ("c", "The video in lesson 4 of *Colour Grading Basics* stops at 12:40 every time."),
            ("maya", "Thanks for the timestamp. Which browser are you on? We've had reports from older Safari versions."),
            ]),
        ("dan", SupportStatus.Open, [
            ("c", "I was charged twice for March. Can you refund one of them?")]),
        ("elena", SupportStatus.Resolved, [
            ("c", "How do I download the project files for the final assignment?"),
            ("admin", "They're under **Resources** at the bottom of the lesson page. Here's the direct link: https://example.com/resources"),
            ("c", "Found them, thank you!")]),
        ("farid", SupportStatus.Open, [
            ("c", "Can I switch my plan from monthly to annual without losing my progress?"),
            ("omar", "Yes — progress is tied to your account, not the plan. Want me to switch it now?"),
            ("c", "Yes please, starting next billing date.")]),
        ("grace", SupportStatus.Waiting, [
            ("c", "The certificate has my name misspelled (Grace Lui instead of Grace Liu)."),
            ("maya", "Fixed! It can take up to an hour to regenerate. Could you check again after that?")]),
        ("hugo", SupportStatus.Resolved, [
            ("c", "My password reset email never arrives."),
            ("omar", "It was caught by a spam filter on our side. I've resent it — please check now."),
            ("c", "Received, all good."),
            ("omar", "Great, closing this one. Reply here any time if anything else comes up.")]),
        ("ines", SupportStatus.Open, [
            ("c", "Bonjour! Are the subtitles available in French for the new course?")]),
        ("jamal", SupportStatus.Open, [
            ("c", "I'd like to gift a course to a friend. Is that possible?"),
            ("maya", "It is! On the course page, choose **Buy as a gift** and enter their email."),
            ("c", "I don't see that button on mobile though.")]),
        ("kira", SupportStatus.Resolved, [
            ("c", "Could you send me an invoice with my company's VAT number?"),
            ("admin", "Done — the updated invoice is attached to your billing page."),
            ("c", "Perfect, thanks.")]),
        ("liam", SupportStatus.Waiting, [
            ("c", "When does the next live Q&A happen?"),
            ("omar", "Thursday at 18:00 CET. You'll get a reminder an hour before.")]),
        ("mei", SupportStatus.Open, [
            ("c", "The quiz in module 2 marks my correct answer as wrong (question 3)."),
            ("c", "Screenshot: the expected answer is `f/2.8` and I typed exactly that.")]),
        ("nora", SupportStatus.Resolved, [
            ("c", "Please cancel my subscription at the end of this period."),
            ("maya", "Done. You'll keep access until the 30th. Sorry to see you go — anything we could have done better?"),
            ("c", "Nothing, just taking a break. Thanks!")]),
    ];

    private static readonly (string? Name, string[] Members, (string Who, string Text)[] Lines)[] Dms =
    [
        (null, ["maya", "omar"], [
            ("maya", "Can you take the refund request from Dan? I'm on the Safari bug."),
            ("omar", "On it."),
            ("maya", "Thanks 🙏")]),
        (null, ["admin", "maya"], [
            ("admin", "Nice work on the certificate fix today."),
            ("maya", "Thanks! I'll write it up for the help centre.")]),
        ("Launch crew", ["admin", "maya", "omar"], [
            ("admin", "Reminder: the **Night Photography** course launches Monday."),
            ("omar", "FAQ answers are ready in the shared doc."),
            ("maya", "I'll watch the support inbox closely that morning.")]),
        ("Cohort 4 study group", ["alice", "ben", "chloe", "dan"], [
            ("alice", "Has anyone finished the lighting assignment yet?"),
            ("ben", "Halfway there. The rim-light part is tricky."),
            ("chloe", "Tip: lower the key light and it gets much easier."),
            ("dan", "Sharing my result tonight!")]),
        (null, ["alice", "ben"], [
            ("alice", "Want to review each other's portfolios on Friday?"),
            ("ben", "Sure, 3pm works for me.")]),
    ];

    public async Task SeedAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var start = now.AddDays(-30);
        await using var db = await contexts.CreateDbContextAsync(ct);

        var company = new Company(CompanyName, start);
        db.Companies.Add(company);

        // One hash for every demo account: they share a password, and hashing twenty-three times
        // would only slow the first start.
        var passwordHash = new PasswordHasher<User>().HashPassword(null!, options.Value.DemoPassword);
        var users = new Dictionary<string, User>();
        User AddUser(string userName, string name, DateTimeOffset createdAt)
        {
            var user = new User(userName, name, $"{userName}@example.com", createdAt)
            {
                NormalizedUserName = userName.ToUpperInvariant(),
                NormalizedEmail = $"{userName}@example.com".ToUpperInvariant(),
                EmailConfirmed = true,
                PasswordHash = passwordHash,
            };
            db.Users.Add(user);
            users[userName] = user;
            return user;
        }

        db.TeamMembers.Add(new TeamMember(company.Id, AddUser(AdminUserName, "Jordan Blake", start).Id, TeamRole.Admin, start));
        db.TeamMembers.Add(new TeamMember(company.Id, AddUser("maya", "Maya Chen", start).Id, TeamRole.Moderator, start));
        db.TeamMembers.Add(new TeamMember(company.Id, AddUser("omar", "Omar Haddad", start).Id, TeamRole.Moderator, start));
        for (var i = 0; i < Customers.Length; i++)
            AddUser(Customers[i].UserName, Customers[i].Name, start.AddDays(i));

        for (var i = 0; i < SupportChats.Length; i++)
        {
            var (customerName, status, lines) = SupportChats[i];
            var customer = users[customerName];
            var at = now.AddHours(-(i * 7 + lines.Length + 2));
            var chat = Channel.NewSupportChat(company.Id, customer.Id, null, at);
            db.Channels.Add(chat);
            // As sending does: the customer has a row from the start, a teammate from their first reply, and
            // each author has read up to what they wrote.
            var readers = new Dictionary<string, ChannelMember> { [customer.Id] = new(chat.Id, customer.Id, at) };
            foreach (var (who, text) in lines)
            {
                at = at.AddMinutes(9);
                var fromCustomer = who == "c";
                var author = fromCustomer ? customer.Id : users[who].Id;
                db.Messages.Add(new Message(chat.Id, author, text, MessageType.Regular, null, at));
                chat.RecordMessage(at, fromCustomer);
                if (!readers.TryGetValue(author, out var reader)) readers[author] = reader = new ChannelMember(chat.Id, author, at);
                reader.MarkViewed(at);
            }
            readers[customer.Id].MarkViewed(at);
            db.ChannelMembers.AddRange(readers.Values);
            if (status == SupportStatus.Resolved)
            {
                at = at.AddMinutes(2);
                var resolver = users[lines.Last(l => l.Who != "c").Who];
                chat.Resolve(resolver.Id, at);
                db.Messages.Add(new Message(chat.Id, null, $"{resolver.Name} resolved this chat.", MessageType.System, null, at));
            }
        }

        for (var i = 0; i < Dms.Length; i++)
        {
            var (name, memberNames, lines) = Dms[i];
            var at = now.AddHours(-(i * 5 + 3));
            var dm = Channel.NewDm(company.Id, users[memberNames[0]].Id, name, at);
            db.Channels.Add(dm);
            var memberships = memberNames.ToDictionary(m => m, m => dm.AddMember(users[m].Id, at));
            db.ChannelMembers.AddRange(memberships.Values);
            foreach (var (who, text) in lines)
            {
                at = at.AddMinutes(4);
                db.Messages.Add(new Message(dm.Id, users[who].Id, text, MessageType.Regular, null, at));
                dm.RecordMessage(at, fromCustomer: false);
                memberships[who].MarkViewed(at);
            }
        }

        await db.SaveChangesAsync(ct);
        await UnreadCounts.RecountAsync(db, ct);
        // The demo's response and resolution times, worked out from its messages as the migration does for old chats.
        await db.Database.ExecuteSqlRawAsync(Support.Reports.ResponseTimesBackfill.Sql(postgres: db.Database.IsNpgsql()), ct);
    }
}
