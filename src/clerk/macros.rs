//! The `resource!` macro: a Clerk resource is its wire data (reachable through `Deref`) plus
//! the handle its methods use.

macro_rules! resource {
    ($(#[$meta:meta])* $name:ident => $data:ty) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name {
            clerk: Clerk,
            data: $data,
        }

        impl $name {
            pub(crate) fn new(clerk: Clerk, data: $data) -> Self {
                Self { clerk, data }
            }

            /// The plain data.
            pub fn data(&self) -> &$data {
                &self.data
            }

            /// The plain data, owned.
            pub fn into_data(self) -> $data {
                self.data
            }
        }

        impl ::std::ops::Deref for $name {
            type Target = $data;
            fn deref(&self) -> &$data {
                &self.data
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.data == other.data
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.data.fmt(f)
            }
        }
    };
}
