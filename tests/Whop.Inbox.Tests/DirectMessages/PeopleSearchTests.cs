using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.DirectMessages;

[Collection(AppCollection.Name)]
public sealed class PeopleSearchTests(InboxApp app)
{
    [Fact]
    public async Task A_person_created_through_the_api_is_offered_before_their_first_chat()
    {
        var owner = await app.NewUserAsync("picker");
        var newcomer = await app.NewUserAsync("newcomer");
        var people = app.Services.GetRequiredService<PeopleSearch>();
        var actor = new Actor(owner.Id, Credential.Session, null, null, new HashSet<string>());

        var found = await people.FindAsync(actor, await app.CompanyIdAsync(), newcomer.Username);

        found.Select(u => u.Id).ShouldContain(newcomer.Id);
    }

    [Fact]
    public async Task The_picker_never_offers_its_owner()
    {
        var owner = await app.NewUserAsync("picker");
        var people = app.Services.GetRequiredService<PeopleSearch>();
        var actor = new Actor(owner.Id, Credential.Session, null, null, new HashSet<string>());

        (await people.FindAsync(actor, await app.CompanyIdAsync(), owner.Username)).ShouldBeEmpty();
    }
}
