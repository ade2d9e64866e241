using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Data;

/// <summary>
/// The app's contexts are pooled, and a pooled context comes back reset to EF Core's defaults: what the
/// app sets on a context (no savepoints, its dialect) must hold on every loan, not only the first.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ContextPoolTests(InboxApp app)
{
    [Fact]
    public async Task A_context_lent_again_from_the_pool_still_saves_without_savepoints_and_knows_its_dialect()
    {
        var contexts = app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>();
        InboxDbContext first;
        await using (first = await contexts.CreateDbContextAsync())
        {
            // Turned back on, as the pool's reset would: the next loan must turn it off again.
            first.Database.AutoSavepointsEnabled = true;
            (await first.Companies.CountAsync()).ShouldBeGreaterThan(0);
        }

        // The pool lends in turn (and the app's own work borrows meanwhile): borrow until the same one comes back.
        InboxDbContext? again = null;
        for (var loan = 0; loan < 2_000 && again is null; loan++)
        {
            var lent = await contexts.CreateDbContextAsync();
            if (ReferenceEquals(lent, first)) again = lent;
            else await lent.DisposeAsync();
        }
        again.ShouldNotBeNull("the context went back to the pool and is lent again");
        await using var _ = again;
        again.Database.AutoSavepointsEnabled.ShouldBeFalse();
        again.Dialect.Provider.ShouldBe(app.Database.Provider);
        again.ChangeTracker.Entries().ShouldBeEmpty();
    }
}
