using Microsoft.Extensions.Time.Testing;
using Whop.Inbox.Embedding;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Tests.Embedding;

/// <summary>The embedded element's hold on its token, on a clock the test moves.</summary>
public sealed class EmbedSessionTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));
    private readonly EmbedSession _session;
    private int _renewalsAsked;
    private int _expiries;

    public EmbedSessionTests()
    {
        // The component runs the timers' work on its dispatcher; here it runs at once.
        _session = new EmbedSession(_clock, action =>
        {
            action();
            return Task.CompletedTask;
        });
        _session.RenewalDue += () => _renewalsAsked++;
        _session.Expired += () => _expiries++;
    }

    [Fact]
    public void A_ten_minute_token_is_renewed_a_minute_before_it_ends_and_asked_for_again_until_one_comes()
    {
        _session.Accept(Token("user_a", minutes: 10));

        _clock.Advance(TimeSpan.FromMinutes(9) - TimeSpan.FromSeconds(1));
        _renewalsAsked.ShouldBe(0);
        _clock.Advance(TimeSpan.FromSeconds(1));
        _renewalsAsked.ShouldBe(1);
        _clock.Advance(EmbedSession.RenewalRetry);
        _renewalsAsked.ShouldBe(2);
        _session.Suspended.ShouldBeFalse();
    }

    [Fact]
    public void A_short_token_is_renewed_at_four_fifths_of_its_life_but_never_sooner_than_the_retry_gap()
    {
        _session.Accept(Token("user_a", minutes: 1));
        _clock.Advance(TimeSpan.FromSeconds(47));
        _renewalsAsked.ShouldBe(0);
        _clock.Advance(TimeSpan.FromSeconds(1));
        _renewalsAsked.ShouldBe(1);

        _session.Accept(Token("user_a", seconds: 3));
        _clock.Advance(EmbedSession.RenewalRetry - TimeSpan.FromMilliseconds(1));
        _renewalsAsked.ShouldBe(1);
    }

    [Fact]
    public void At_expiry_it_acts_for_no_one_and_keeps_asking_and_a_fresh_token_resumes_with_the_same_actor()
    {
        var first = _session.Accept(Token("user_a", minutes: 2));

        _clock.Advance(TimeSpan.FromMinutes(2));

        _expiries.ShouldBe(1);
        _session.Suspended.ShouldBeTrue();
        _session.SuspendedBecause.ShouldBeNull();
        _session.Actor.ShouldBe(Actor.Anonymous);
        var asked = _renewalsAsked;
        _clock.Advance(EmbedSession.RenewalRetry);
        _renewalsAsked.ShouldBe(asked + 1);

        var fresh = Token("user_a", minutes: 12);
        _session.IsNews(fresh).ShouldBeTrue();
        var accepted = _session.Accept(fresh);

        _session.Suspended.ShouldBeFalse();
        accepted.ExpiresAt.ShouldBe(fresh.ExpiresAt);
        // The elements follow with the very actor they had: nothing re-subscribes.
        accepted.Actor.ShouldBeSameAs(first.Actor);
        _session.Actor.ShouldBeSameAs(first.Actor);
    }

    [Fact]
    public void A_renewal_moved_the_expiry_so_the_old_expiry_passes_without_ending_anything()
    {
        _session.Accept(Token("user_a", minutes: 5));
        _clock.Advance(TimeSpan.FromMinutes(4));
        _session.Accept(Token("user_a", minutes: 5));

        _clock.Advance(TimeSpan.FromMinutes(2));

        _expiries.ShouldBe(0);
        _session.Suspended.ShouldBeFalse();
    }

    [Fact]
    public void The_same_token_handed_back_is_no_news_and_a_later_or_different_one_is()
    {
        var held = _session.Accept(Token("user_a", minutes: 10));

        _session.IsNews(held with { Actor = NewActor("user_a") }).ShouldBeFalse();
        _session.IsNews(Token("user_a", minutes: 11)).ShouldBeTrue();
        _session.IsNews(Token("user_a", minutes: 5, scopes: ["chat:read"])).ShouldBeTrue();
    }

    [Fact]
    public void A_token_for_another_person_or_company_is_refused_naming_the_token()
    {
        _session.Accept(Token("user_a", minutes: 10));

        _session.Refuses(Token("user_b", minutes: 10))!.Field.ShouldBe("token");
        _session.Refuses(Token("user_a", minutes: 10, company: "biz_other")).ShouldNotBeNull();
        _session.Refuses(Token("user_a", minutes: 20)).ShouldBeNull();
    }

    [Fact]
    public void A_site_no_longer_allowed_stops_the_session_with_the_reason_and_it_stops_asking()
    {
        _session.Accept(Token("user_a", minutes: 10));

        _session.Suspend("This site is not allowed.");
        _clock.Advance(TimeSpan.FromMinutes(15));

        _session.Suspended.ShouldBeTrue();
        _session.SuspendedBecause.ShouldBe("This site is not allowed.");
        _renewalsAsked.ShouldBe(0);
        _expiries.ShouldBe(0);
    }

    private EmbedCredential Token(string user, double minutes = 0, double seconds = 0, string company = "biz_a", string[]? scopes = null) =>
        new(NewActor(user, company, scopes), user, company, _clock.GetUtcNow().AddMinutes(minutes).AddSeconds(seconds));

    private static Actor NewActor(string user, string company = "biz_a", string[]? scopes = null) =>
        new(user, Credential.AccessToken, company, null, new HashSet<string>(scopes ?? ["chat:read", "chat:message:create"]));

    public void Dispose() => _session.Dispose();
}
