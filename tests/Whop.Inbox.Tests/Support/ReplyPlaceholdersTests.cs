using Whop.Inbox.Support.SavedReplies;

namespace Whop.Inbox.Tests.Support;

public sealed class ReplyPlaceholdersTests
{
    private static readonly ReplyPlaceholders.Values Chat = new("Ada Lovelace", "ada", "Maya");

    [Fact]
    public void The_customers_name_and_username_and_the_agents_name_are_filled_in_wherever_they_stand()
    {
        ReplyPlaceholders.Fill("Hi {customer.name} (@{customer.username}), {agent.name} here. Bye {customer.name}!", Chat)
            .ShouldBe("Hi Ada Lovelace (@ada), Maya here. Bye Ada Lovelace!");
    }

    [Fact]
    public void Unknown_placeholders_and_other_braces_are_left_as_they_are()
    {
        ReplyPlaceholders.Fill("{customer.email} {Customer.Name} {customer.name {agent} {} {{agent.name}}", Chat)
            .ShouldBe("{customer.email} {Customer.Name} {customer.name {agent} {} {Maya}");
    }

    [Fact]
    public void A_name_that_reads_like_a_placeholder_is_inserted_as_it_is()
    {
        ReplyPlaceholders.Fill("Hello {customer.name}, I am {agent.name}.", new("{agent.name}", "x", "Maya"))
            .ShouldBe("Hello {agent.name}, I am Maya.");
    }

    [Fact]
    public void Text_without_placeholders_is_unchanged()
    {
        ReplyPlaceholders.Fill("Thanks for waiting.", Chat).ShouldBe("Thanks for waiting.");
    }
}
