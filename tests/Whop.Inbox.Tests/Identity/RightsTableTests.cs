using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Unread;
using Whop.Inbox.Team;
using Whop.Inbox.TestSupport;
using static Whop.Inbox.Identity.Rights.InboxAction;

namespace Whop.Inbox.Tests.Identity;

/// <summary>
/// Every role against every action, through the real rights service and real rows in PostgreSQL.
/// The expected table below is the product's access model written out; a change to who may do
/// what must change it here too.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RightsTableTests(InboxApp app) : IAsyncLifetime
{
    private World _world = null!;

    // Columns: company admin, moderator, the chat's customer, another customer, DM member,
    // DM admin (its creator), API key, the customer's token with every scope, the customer's
    // token with no scope, a moderator's token with support_chat:read only.
    private static readonly (InboxAction Action, string Expected)[] Table =
    [
        //                         adm mod cus oth mem dad key tok non tmr
        (ListInbox,               "Y   Y   .   .   .   .   Y   .   .   Y"),
        (ReadSupportChat,         "Y   Y   Y   .   .   .   Y   Y   .   Y"),
        (ReplyAsCompany,          "Y   Y   .   .   .   .   Y   .   .   ."),
        (ReplyAsCustomer,         ".   .   Y   .   .   .   .   Y   .   ."),
        (ResolveSupportChat,      "Y   Y   .   .   .   .   Y   .   .   ."),
        (ReopenSupportChat,       "Y   Y   .   .   .   .   Y   .   .   ."),
        (OpenSupportChat,         "Y   Y   Y   .   .   .   Y   Y   .   ."),
        (AssignSupportChat,       "Y   Y   .   .   .   .   Y   .   .   ."),
        (SnoozeSupportChat,       "Y   Y   .   .   .   .   Y   .   .   ."),
        (LabelSupportChat,        "Y   Y   .   .   .   .   Y   .   .   ."),
        (PrioritizeSupportChat,   "Y   Y   .   .   .   .   Y   .   .   ."),
        (ReadNotes,               "Y   Y   .   .   .   .   Y   .   .   Y"),
        (WriteNote,               "Y   Y   .   .   .   .   Y   .   .   ."),
        // Who is here: the team's alone. A key stands as an admin; it has no person to be seen, which the board refuses.
        (SeeViewers,              "Y   Y   .   .   .   .   Y   .   .   Y"),
        (AnnounceViewing,         "Y   Y   .   .   .   .   Y   .   .   Y"),
        (UseSavedReplies,         "Y   Y   .   .   .   .   Y   .   .   Y"),
        // A key stands as an admin here; it has no person to own a personal reply, which the service refuses (422 shared).
        (KeepPersonalReplies,     "Y   Y   .   .   .   .   Y   .   .   ."),
        (ManageSharedReplies,     "Y   .   .   .   .   .   Y   .   .   ."),
        (CreateDm,                "Y   Y   Y   Y   Y   Y   Y   Y   .   ."),
        (ReadDm,                  ".   .   .   .   Y   Y   Y   .   .   ."),
        (WriteDm,                 ".   .   .   .   Y   Y   Y   .   .   ."),
        (RenameOrDeleteDm,        "Y   .   .   .   .   Y   Y   .   .   ."),
        (ManageDmMembers,         "Y   .   .   .   .   Y   Y   .   .   ."),
        (LeaveDm,                 ".   .   .   .   Y   Y   .   .   .   ."),
        (DeleteAnySupportMessage, "Y   Y   .   .   .   .   Y   .   .   ."),
        (DeleteAnyDmMessage,      "Y   .   .   .   .   Y   Y   .   .   ."),
        (ManageTeam,              "Y   .   .   .   .   .   Y   .   .   ."),
        (ManageApiKeys,           "Y   .   .   .   .   .   Y   .   .   ."),
        (IssueAccessTokens,       ".   .   .   .   .   .   Y   .   .   ."),
        (SyncUsers,               "Y   .   .   .   .   .   Y   .   .   ."),
        (ReadAuditTrail,          "Y   .   .   .   .   .   Y   .   .   ."),
        (ManageEmbedding,         "Y   .   .   .   .   .   Y   .   .   ."),
        (ManageInboxSettings,     "Y   .   .   .   .   .   Y   .   .   ."),
        (ManageWebhooks,          "Y   .   .   .   .   .   Y   .   .   ."),
        (ManageLabels,            "Y   .   .   .   .   .   Y   .   .   ."),
        (ReadMetrics,             ".   .   .   .   .   .   Y   .   .   ."),
        // Response times per agent: the admins' view, not the team's own; no token scope reaches it.
        (ReadReports,             "Y   .   .   .   .   .   Y   .   .   ."),
        (UploadFile,              "Y   Y   Y   Y   Y   Y   Y   Y   .   ."),
        // A person's own preferences; an API key has no person (the service answers 422), a token needs notifications:manage.
        (KeepNotificationPreferences, "Y   Y   Y   Y   Y   Y   .   Y   .   ."),
    ];

    private static readonly string[] Roles =
        ["admin", "moderator", "customer", "other customer", "DM member", "DM admin", "API key", "token", "token without scopes", "read-only moderator token"];

    [Fact]
    public void The_table_covers_every_action()
    {
        Table.Select(row => row.Action).Order().ShouldBe(Enum.GetValues<InboxAction>().Order());
        RightsTable.Rules.Keys.Order().ShouldBe(Enum.GetValues<InboxAction>().Order());
    }

    public static TheoryData<InboxAction> Actions() => new(Enum.GetValues<InboxAction>());

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Each_role_may_do_exactly_what_the_table_says(InboxAction action)
    {
        var expected = Table.Single(row => row.Action == action).Expected.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var actors = _world.Actors();
        var rights = app.Services.GetRequiredService<InboxRights>();

        var mismatches = new List<string>();
        for (var i = 0; i < Roles.Length; i++)
        {
            var allowed = await _world.CanAsync(rights, actors[i], action);
            if (allowed != (expected[i] == "Y"))
                mismatches.Add($"{Roles[i]} {(allowed ? "may" : "may not")} {action}, but the table says {(allowed ? "no" : "yes")}");
        }
        mismatches.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_company_bound_credential_has_no_standing_in_another_company()
    {
        var rights = app.Services.GetRequiredService<InboxRights>();
        var otherCompanyKey = new Actor(null, Credential.ApiKey, "biz_someoneelse0000000", "key_x", new HashSet<string>());
        (await rights.CanAsync(otherCompanyKey, ListInbox, _world.CompanyId)).ShouldBeFalse();
        (await rights.CanAsync(otherCompanyKey, ReadSupportChat, _world.SupportChat)).ShouldBeFalse();
        (await rights.CanAsync(otherCompanyKey, ReadDm, _world.Dm)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_moderator_has_no_say_over_a_DM_of_their_company()
    {
        var rights = app.Services.GetRequiredService<InboxRights>();
        var standing = await rights.ChannelStandingAsync(_world.Actors()[1], _world.Dm);
        standing.ShouldBe(Standing.None);
    }

    public async Task InitializeAsync() => _world = await World.CreateAsync(app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>());

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A company of its own, so the test does not depend on the demo data.</summary>
    private sealed record World(string CompanyId, string AdminId, string ModeratorId, string CustomerId, string OtherCustomerId,
        string DmMemberId, string DmAdminId, Channel SupportChat, Channel Dm)
    {
        public static async Task<World> CreateAsync(IDbContextFactory<InboxDbContext> contexts)
        {
            var now = DateTimeOffset.UtcNow;
            await using var db = await contexts.CreateDbContextAsync();
            var company = new Company("Rights test company", now);
            User NewUser(string role)
            {
                var name = $"{role}-{Guid.NewGuid():N}"[..20];
                var user = new User(name, role, null, now) { NormalizedUserName = name.ToUpperInvariant() };
                db.Users.Add(user);
                return user;
            }
            var (admin, moderator, customer, other, member, dmAdmin) =
                (NewUser("admin"), NewUser("moderator"), NewUser("customer"), NewUser("other"), NewUser("member"), NewUser("dmadmin"));
            db.Companies.Add(company);
            db.TeamMembers.Add(new TeamMember(company.Id, admin.Id, TeamRole.Admin, now));
            db.TeamMembers.Add(new TeamMember(company.Id, moderator.Id, TeamRole.Moderator, now));
            var chat = Channel.NewSupportChat(company.Id, customer.Id, null, now);
            db.Channels.Add(chat);
            db.ChannelMembers.Add(new ChannelMember(chat.Id, customer.Id, now));
            var dm = Channel.NewDm(company.Id, dmAdmin.Id, "Rights test DM", now);
            db.Channels.Add(dm);
            db.ChannelMembers.Add(dm.AddMember(dmAdmin.Id, now));
            db.ChannelMembers.Add(dm.AddMember(member.Id, now));
            await db.SaveChangesAsync();
            // Rows written behind the app's back: its kept counts are taken again, as docs/unread-counts.md asks.
            await UnreadCounts.RecountAsync(db);
            return new World(company.Id, admin.Id, moderator.Id, customer.Id, other.Id, member.Id, dmAdmin.Id, chat, dm);
        }

        public Actor[] Actors()
        {
            static Actor Session(string userId) => new(userId, Credential.Session, null, null, new HashSet<string>());
            Actor Token(string userId, params string[] scopes) => new(userId, Credential.AccessToken, CompanyId, null, scopes.ToHashSet());
            return
            [
                Session(AdminId), Session(ModeratorId), Session(CustomerId), Session(OtherCustomerId), Session(DmMemberId),
                Session(DmAdminId), new Actor(null, Credential.ApiKey, CompanyId, "key_test", new HashSet<string>()),
                Token(CustomerId, [.. Scopes.All]), Token(CustomerId), Token(ModeratorId, Scopes.SupportChatRead),
            ];
        }

        /// <summary>Asks about the resource each action is about: the company, the support chat or the DM.</summary>
        public async Task<bool> CanAsync(InboxRights rights, Actor actor, InboxAction action) => action switch
        {
            ReadSupportChat or ReplyAsCompany or ReplyAsCustomer or ResolveSupportChat or ReopenSupportChat or DeleteAnySupportMessage
                or AssignSupportChat or SnoozeSupportChat or ReadNotes or WriteNote
                => await rights.CanAsync(actor, action, SupportChat),
            OpenSupportChat => await rights.CanOpenSupportChatAsync(actor, CompanyId, CustomerId),
            ReadDm or WriteDm or RenameOrDeleteDm or ManageDmMembers or LeaveDm or DeleteAnyDmMessage
                => await rights.CanAsync(actor, action, Dm),
            _ => await rights.CanAsync(actor, action, CompanyId),
        };
    }

    [Fact]
    public void A_tokens_scopes_alone_say_which_actions_it_may_ever_do()
    {
        var readDms = new HashSet<string> { Scopes.DmsRead };
        RightsTable.ScopeAllows(ReadDm, Credential.AccessToken, readDms).ShouldBeTrue();
        RightsTable.ScopeAllows(ReadSupportChat, Credential.AccessToken, readDms).ShouldBeFalse();
        // No scope opens an unscoped action; people and API keys carry no scopes to limit them.
        RightsTable.ScopeAllows(ManageEmbedding, Credential.AccessToken, Scopes.All.ToHashSet()).ShouldBeFalse();
        RightsTable.ScopeAllows(ReadSupportChat, Credential.Session, new HashSet<string>()).ShouldBeTrue();
        RightsTable.ScopeAllows(ReadSupportChat, Credential.ApiKey, new HashSet<string>()).ShouldBeTrue();
    }
}
