namespace Whop.Inbox.Support.Search;

public static class SearchSetup
{
    public static IServiceCollection AddSupportSearch(this IServiceCollection services) => services.AddSingleton<SupportSearch>();
}
