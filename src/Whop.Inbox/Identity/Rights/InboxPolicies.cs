using Microsoft.AspNetCore.Authorization;
using Whop.Inbox.Team;

namespace Whop.Inbox.Identity.Rights;

/// <summary>
/// Authorization policies for pages and endpoint groups: each is one company-level action of the
/// rights table, checked against the company in question (the default company unless the
/// resource says otherwise).
/// </summary>
public static class InboxPolicies
{
    public const string ListInbox = nameof(ListInbox);
    public const string ManageTeam = nameof(ManageTeam);
    public const string ManageApiKeys = nameof(ManageApiKeys);
    public const string ReadAuditTrail = nameof(ReadAuditTrail);
    public const string ManageEmbedding = nameof(ManageEmbedding);
    public const string ManageWebhooks = nameof(ManageWebhooks);
    public const string ManageLabels = nameof(ManageLabels);
    public const string ReadMetrics = nameof(ReadMetrics);
    public const string ReadReports = nameof(ReadReports);

    public static void AddInboxPolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(ListInbox, p => p.AddRequirements(new InboxActionRequirement(InboxAction.ListInbox)));
        options.AddPolicy(ManageTeam, p => p.AddRequirements(new InboxActionRequirement(InboxAction.ManageTeam)));
        options.AddPolicy(ManageApiKeys, p => p.AddRequirements(new InboxActionRequirement(InboxAction.ManageApiKeys)));
        options.AddPolicy(ReadAuditTrail, p => p.AddRequirements(new InboxActionRequirement(InboxAction.ReadAuditTrail)));
        options.AddPolicy(ManageEmbedding, p => p.AddRequirements(new InboxActionRequirement(InboxAction.ManageEmbedding)));
        options.AddPolicy(ManageWebhooks, p => p.AddRequirements(new InboxActionRequirement(InboxAction.ManageWebhooks)));
        options.AddPolicy(ManageLabels, p => p.AddRequirements(new InboxActionRequirement(InboxAction.ManageLabels)));
        // A scraper presents a key: the API's scheme answers 401/403, never the sign-in page's redirect.
        options.AddPolicy(ReadMetrics, p => p.AddAuthenticationSchemes(IdentitySetup.ApiScheme).RequireAuthenticatedUser()
            .AddRequirements(new InboxActionRequirement(InboxAction.ReadMetrics)));
        options.AddPolicy(ReadReports, p => p.AddRequirements(new InboxActionRequirement(InboxAction.ReadReports)));
    }
}

public sealed record InboxActionRequirement(InboxAction Action) : IAuthorizationRequirement;

internal sealed class InboxActionHandler(InboxRights rights, DefaultCompany defaultCompany)
    : AuthorizationHandler<InboxActionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, InboxActionRequirement requirement)
    {
        var companyId = context.Resource as string ?? await defaultCompany.IdAsync();
        if (await rights.CanAsync(Actor.From(context.User), requirement.Action, companyId))
            context.Succeed(requirement);
    }
}
