/// Who is asking: made by the web layer's auth middleware for every request.
#[derive(Clone, Debug)]
pub struct Ctx {
    user_id: u64,
}

impl Ctx {
    pub fn new(user_id: u64) -> Ctx {
        Ctx { user_id }
    }

    pub fn user_id(&self) -> u64 {
        self.user_id
    }
}
