"""The People screen: who uses Recruit, their roles, sign-in and the panels they sit on."""

# The change-bus topic published when people change (added, edited, (de)activated,
# given a password, put on or taken off a panel).
PEOPLE = "people"
