using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Whop.Inbox.Identity.Account;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // A form post (so it carries the antiforgery token), never a GET a third-party page could trigger.
        app.MapPost("/account/logout", async ([FromForm] string? returnUrl, SignInManager<User> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        }).ExcludeFromDescription();
        return app;
    }
}
